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
        app.MapGet("/", () => TypedResults.Text("Workflow API is running.")).AllowAnonymous().ExcludeFromDescription();
}
