using Workflow.Api.Hosting;
using Workflow.Application;

namespace Workflow.Api.Features.Review;

/// <summary>The weekly-review timer function (WeeklyReview/function.json): mails each person their review.</summary>
public static class WeeklyReviewTimer
{
    // Routes
    //   POST /WeeklyReview   the timer invocation: { "Data": { "timer": {...} | "..." }, "Metadata": {...} } (host only)

    public const string FunctionName = "WeeklyReview";

    public static void MapWeeklyReviewTimer(this IEndpointRouteBuilder app) =>
        app.MapTimerFunction(FunctionName, async (services, isPastDue, ct) =>
        {
            var run = await services.GetRequiredService<WeeklyDigestJob>().RunAsync(ct);
            Hosting.Log.DigestRunFinished(services.GetRequiredService<ILogger<WeeklyDigestJob>>(), isPastDue, run.Sent, run.Empty, run.Skipped, run.Failed);
            var summary = $"Weekly review: {run.Sent} sent, {run.Empty} with nothing to say, {run.Skipped} already done, {run.Failed} failed.";
            // Failures were released and are retried by the next run; reporting them as a failed invocation makes them visible.
            return run.Failed == 0
                ? new TimerRun(summary + (isPastDue ? " (catching up a past-due run)" : ""))
                : new TimerRun(summary, Failed: true);
        });
}
