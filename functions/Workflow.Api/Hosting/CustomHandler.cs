using System.Net;

namespace Workflow.Api.Hosting;

/// <summary>
/// The Azure Functions custom-handler contract (docs/decisions/0001): when the host starts us it names a port in
/// FUNCTIONS_CUSTOMHANDLER_PORT; we listen on loopback there and answer GET / so the host knows we are ready.
/// </summary>
public static class CustomHandler
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static void ListenWhereTheHostSays(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReadinessAnswered>();
        var port = Environment.GetEnvironmentVariable(PortVariable);
        if (string.IsNullOrEmpty(port))
        {
            return;
        }
        if (!int.TryParse(port, out var number) || number is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{PortVariable} must be a TCP port, not '{port}'.");
        }
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, number));
    }

    // Routes
    //   GET /    readiness: the Functions host polls it until it answers
    public static void MapReadiness(this IEndpointRouteBuilder app) =>
        app.MapGet("/", (HttpContext context, ReadinessAnswered readiness) =>
        {
            context.Response.OnCompleted(readiness.Answered);
            return TypedResults.Text("Workflow API is running.");
        }).AllowAnonymous().ExcludeFromDescription();
}

/// <summary>
/// Completes once the host's readiness probe has had its answer: work meant to be ready before the first user — but
/// never to delay that answer, the figure a cold start is held to — waits for it. Where nothing polls (a handler run
/// by hand), it never completes, and the first request does that work itself.
/// </summary>
public sealed class ReadinessAnswered
{
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _answered.Task;

    internal Task Answered()
    {
        _answered.TrySetResult();
        return Task.CompletedTask;
    }
}
