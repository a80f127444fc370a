using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflow.Api.Hosting;

/// <summary>What one timer run did: the line for the host's log, and whether the invocation is reported failed.</summary>
public sealed record TimerRun(string Summary, bool Failed = false);

/// <summary>
/// Timer functions as the Functions host invokes a custom handler: it POSTs the invocation to /&lt;FunctionName&gt; on
/// loopback, with the timer as an object or as a JSON string, and expects the custom-handler reply shape back; a non-2xx
/// answer fails the run. A forwarded request can be made to arrive at such a path (<see cref="HostOnlyRoutes"/>), so
/// only the host's own invocation is answered — the one place this is decided, for every timer.
/// </summary>
public static class TimerFunctions
{
    /// <summary>The custom-handler reply, in the host's own casing.</summary>
    public sealed record InvocationReply(
        [property: JsonPropertyName("Outputs")] Dictionary<string, object?> Outputs,
        [property: JsonPropertyName("Logs")] string[] Logs,
        [property: JsonPropertyName("ReturnValue"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? ReturnValue);

    /// <summary>
    /// Maps the timer function <paramref name="name"/> (its folder beside host.json holds the schedule) to
    /// <paramref name="run"/>, given the request's services, whether the host says the run is past due, and the
    /// invocation's cancellation.
    /// </summary>
    public static void MapTimerFunction(
        this IEndpointRouteBuilder app, string name, Func<IServiceProvider, bool, CancellationToken, Task<TimerRun>> run) =>
        app.MapPost("/" + name, async Task<IResult> (HttpRequest request) =>
        {
            if (!HostOnlyRoutes.IsFromTheHost(request.HttpContext) || !HostOnlyRoutes.IsInvocation(request))
            {
                return TypedResults.NotFound();
            }
            var result = await run(request.HttpContext.RequestServices, await IsPastDueAsync(request), request.HttpContext.RequestAborted);
            var reply = new InvocationReply([], [result.Summary], null);
            return result.Failed ? TypedResults.Json(reply, ApiJsonContext.Default.InvocationReply, statusCode: StatusCodes.Status500InternalServerError) : TypedResults.Ok(reply);
        }).AllowAnonymous().ExcludeFromDescription();

    /// <summary>Reads IsPastDue from either form of the timer value; a run we cannot read is treated as on time.</summary>
    private static async Task<bool> IsPastDueAsync(HttpRequest request)
    {
        try
        {
            using var payload = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (!payload.RootElement.TryGetProperty("Data", out var data) || !data.TryGetProperty("timer", out var timer))
            {
                return false;
            }
            if (timer.ValueKind == JsonValueKind.String)
            {
                using var inner = JsonDocument.Parse(timer.GetString() ?? "{}");
                return inner.RootElement.TryGetProperty("IsPastDue", out var pastDue) && pastDue.ValueKind == JsonValueKind.True;
            }
            return timer.TryGetProperty("IsPastDue", out var flag) && flag.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
