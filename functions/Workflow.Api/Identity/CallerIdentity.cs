using System.Security.Claims;
using Microsoft.Identity.Web;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Identity;

/// <summary>Who is calling: (tid, oid) from the validated token — never an email, a UPN or anything in the body.</summary>
public static class CallerIdentity
{
    /// <remarks>Both are GUIDs in every Entra token; anything else is not a user we can key storage by.</remarks>
    public static UserId? UserOf(ClaimsPrincipal principal) =>
        Canonical(principal.GetTenantId()) is { } tenant && Canonical(principal.GetObjectId()) is { } objectId
            ? new UserId(tenant, objectId)
            : null;

    /// <summary>
    /// The caller of this request, read from its validated token once: the policy, the rate limiter and the handler's
    /// <see cref="Caller"/> all ask, and each reading looks claims up and parses two GUIDs. Read again if the request's
    /// user has changed since (an anonymous request asks before it is authenticated).
    /// </summary>
    public static UserId? UserOf(HttpContext context)
    {
        var principal = context.User;
        if (context.Features.Get<ReadCaller>() is { } read && ReferenceEquals(read.Principal, principal))
        {
            return read.User;
        }
        var user = UserOf(principal);
        context.Features.Set(new ReadCaller(principal, user));
        return user;
    }

    private sealed record ReadCaller(ClaimsPrincipal Principal, UserId? User);

    /// <summary>The GUID in its "D" form, as every id is stored; the claim's own string when it is already so spelled.</summary>
    private static string? Canonical(string? claim)
    {
        if (!Guid.TryParse(claim, out var id))
        {
            return null;
        }
        Span<char> formatted = stackalloc char[36];
        return id.TryFormat(formatted, out var written, "D") && formatted[..written].SequenceEqual(claim) ? claim : id.ToString("D");
    }

    /// <summary>
    /// The caller as the token names them — no directory call, so it costs nothing on the request path. Email and
    /// name are the token's own claims, for display only.
    /// </summary>
    public static Caller? FromToken(HttpContext context) =>
        UserOf(context) is { } user
            ? new Caller(user, context.User.FindFirstValue("preferred_username"), context.User.FindFirstValue("name"))
            : null;

    /// <summary>
    /// The caller with a name to show: from the directory when it knows them, else the token's own claims. Only where
    /// the caller's own party is written (opening a workflow) or shown to them (their profile).
    /// </summary>
    public static async Task<Caller> WithDirectoryNameAsync(this Caller caller, IDirectory directory, CancellationToken cancellationToken)
    {
        var known = await directory.FindByIdAsync(caller.Id, cancellationToken);
        return known is null ? caller : caller with { Email = known.Email, DisplayName = known.DisplayName };
    }

    /// <summary>
    /// Binds <see cref="Caller"/> as a handler parameter (<c>[FromServices] Caller caller</c>), from the validated token
    /// only. Asked for only by endpoints behind the user policy, which admits no token without a tenant and object id.
    /// </summary>
    public static IServiceCollection AddCallerBinding(this IServiceCollection services) =>
        services.AddHttpContextAccessor().AddScoped(sp =>
            (sp.GetRequiredService<IHttpContextAccessor>().HttpContext is { } context ? FromToken(context) : null)
            ?? throw new InvalidOperationException("The caller is bound only on endpoints that require the user policy."));
}
