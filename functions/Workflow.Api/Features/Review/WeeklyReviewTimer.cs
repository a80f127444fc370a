using System.Text.Json;
using System.Text.Json.Serialization;
using Workflow.Api.Hosting;
using Workflow.Application;

namespace Workflow.Api.Features.Review;

/// <summary>
/// The weekly-review timer function (WeeklyReview/function.json). The Functions host POSTs the invocation to
/// /WeeklyReview on loopback with the timer as an object or as a JSON string, and expects the custom-handler reply
/// shape back; a non-2xx answer fails the run. A forwarded request can be made to arrive at this path
/// (<see cref="HostOnlyRoutes"/>), so only the host's own invocation is answered.
/// </summary>
public static class WeeklyReviewTimer
{
    // Routes
    //   POST /WeeklyReview   the timer invocation: { "Data": { "timer": {...} | "..." }, "Metadata": {...} }

    public const string FunctionName = "WeeklyReview";

    public static void MapWeeklyReviewTimer(this IEndpointRouteBuilder app) =>
        app.MapPost("/" + FunctionName, Invoke).AllowAnonymous().ExcludeFromDescription();

    /// <summary>The custom-handler reply, in the host's own casing.</summary>
    public sealed record InvocationReply(
        [property: JsonPropertyName("Outputs")] Dictionary<string, object?> Outputs,
        [property: JsonPropertyName("Logs")] string[] Logs,
        [property: JsonPropertyName("ReturnValue"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? ReturnValue);

    private static async Task<IResult> Invoke(HttpRequest request, WeeklyDigestJob job, ILogger<WeeklyDigestJob> logger)
    {
        if (!HostOnlyRoutes.IsFromTheHost(request.HttpContext) || !HostOnlyRoutes.IsInvocation(request))
        {
            return TypedResults.NotFound();
        }
        var isPastDue = await IsPastDueAsync(request);
        var run = await job.RunAsync(request.HttpContext.RequestAborted);
        Hosting.Log.DigestRunFinished(logger, isPastDue, run.Sent, run.Empty, run.Skipped, run.Failed);
        var summary = $"Weekly review: {run.Sent} sent, {run.Empty} with nothing to say, {run.Skipped} already done, {run.Failed} failed.";
        // Failures were released and are retried by the next run; reporting them as a failed invocation makes them visible.
        return run.Failed == 0
            ? TypedResults.Ok(new InvocationReply([], [summary + (isPastDue ? " (catching up a past-due run)" : "")], null))
            : TypedResults.Json(new InvocationReply([], [summary], null), statusCode: StatusCodes.Status500InternalServerError);
    }

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
