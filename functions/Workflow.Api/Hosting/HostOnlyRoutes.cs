using System.Net;

namespace Workflow.Api.Hosting;

/// <summary>
/// Everything outside /api/ — the readiness probe and the timer invocations — is the Functions host's own business,
/// and answered only when the host itself asks (docs/decisions/0005).
/// </summary>
/// <remarks>
/// The path alone proves nothing: the host computes a forwarded request's path from the un-escaped display URL and
/// lets <see cref="Uri"/> normalise it, so <c>/api/..%5CWeeklyReview</c> reaches us as <c>/WeeklyReview</c>. What a
/// forwarded request cannot shed is its origin: the host copies every header of the caller's request, Host included
/// (the app's public name — the front ends route on it, so nobody reaches the app with Host 127.0.0.1), and the front
/// ends add their forwarding headers. The host's own requests go to <c>http://127.0.0.1:{port}</c> and carry neither.
/// </remarks>
public static class HostOnlyRoutes
{
    /// <summary>The header the host puts on each invocation (and on each forwarded request, after the caller's).</summary>
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    /// <summary>Headers only a request that came through a proxy or front end carries (App Service's among them).</summary>
    private static readonly string[] ForwardingHeaders =
    [
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Original-URL", "X-Original-Host",
        "X-ARR-LOG-ID", "X-ARR-SSL", "X-ARR-ClientCert", "Disguised-Host", "Client-IP", "X-WAWS-Unencoded-URL",
        "X-Client-IP", "X-AppService-Proto", "X-Site-Deployment-Id", "Was-Default-Hostname", "Origin", "Referer", "Cookie",
    ];

    /// <summary>Whether a request is in the public area, /api/, the only one the host forwards callers to.</summary>
    public static bool IsPublic(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>Answers 404 to any request outside /api/ that is not the host's own.</summary>
    public static void UseHostOnlyOutsideApi(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsPublic(context.Request) || IsFromTheHost(context))
        {
            await next(context);
            return;
        }
        await TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.",
            type: "https://workflow.dev/problems/not-found", detail: "There is nothing at this address.").ExecuteAsync(context);
    });

    /// <summary>
    /// The host's own request: from loopback, to exactly the address the host dials (127.0.0.1 and the port we
    /// listen on, which it chose), with no trace of a proxy in between.
    /// </summary>
    public static bool IsFromTheHost(HttpContext context)
    {
        var connection = context.Connection;
        return connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
            && context.Request.Headers.Host.Count == 1
            && string.Equals(context.Request.Headers.Host[0], $"127.0.0.1:{connection.LocalPort}", StringComparison.Ordinal)
            && !ForwardingHeaders.Any(context.Request.Headers.ContainsKey);
    }

    /// <summary>An invocation names itself with exactly one invocation id, a GUID; the readiness probe carries none.</summary>
    public static bool IsInvocation(HttpRequest request) =>
        request.Headers[InvocationIdHeader] is { Count: 1 } ids && Guid.TryParse(ids[0], out _);
}
