using Workflow.Api.Hosting;
using Workflow.Application;

namespace Workflow.Api.Features.Roles;

/// <summary>
/// The RoleCycles timer function (RoleCycles/function.json, every 15 minutes): opens each role's cycles that are due,
/// once each, and records the occurrences missed while it did not run.
/// </summary>
public static class RoleCyclesTimer
{
    // Routes
    //   POST /RoleCycles   the timer invocation: { "Data": { "timer": {...} | "..." }, "Metadata": {...} } (host only)

    public const string FunctionName = "RoleCycles";

    public static void MapRoleCyclesTimer(this IEndpointRouteBuilder app) =>
        app.MapTimerFunction(FunctionName, async (services, isPastDue, ct) =>
        {
            var run = await services.GetRequiredService<RoleCycleJob>().RunAsync(ct);
            var summary = $"Role cycles: {run.Opened} opened, {run.Missed} missed, {run.Failed} roles failed" + (isPastDue ? " (catching up a past-due run)." : ".");
            // A failed role is retried by the next run; reporting the run failed makes it visible.
            return new TimerRun(summary, Failed: run.Failed > 0);
        });
}
