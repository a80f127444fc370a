using System.Globalization;
using System.Net;

var builder = WebApplication.CreateBuilder(args);
// Listens exactly as Workflow.Api's CustomHandler does, so both pay the same for binding the port.
if (Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { Length: > 0 } port)
{
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture)));
}

var app = builder.Build();
app.MapGet("/", () => TypedResults.Text("Empty app is running."));
app.Run();
