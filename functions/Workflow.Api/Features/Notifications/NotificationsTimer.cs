using Workflow.Api.Hosting;
using Workflow.Application;

namespace Workflow.Api.Features.Notifications;

/// <summary>
/// The Notifications timer function (Notifications/function.json, every minute): mails the notices that are due and
/// adds reminders, so notices go out while no request keeps an instance alive.
/// </summary>
public static class NotificationsTimer
{
    // Routes
    //   POST /Notifications   the timer invocation: { "Data": { "timer": {...} | "..." }, "Metadata": {...} } (host only)

    public const string FunctionName = "Notifications";

    public static void MapNotificationsTimer(this IEndpointRouteBuilder app) =>
        app.MapTimerFunction(FunctionName, async (services, _, ct) =>
        {
            // Reminders once an hour (at the top of it), not every minute: they read every person's lists.
            var added = services.GetRequiredService<TimeProvider>().GetUtcNow().Minute == 0
                ? await services.GetRequiredService<ReminderJob>().RunAsync(ct)
                : 0;
            var run = await services.GetRequiredService<NotificationMailer>().RunAsync(ct);
            Hosting.Log.NotificationRunFinished(services.GetRequiredService<ILogger<NotificationMailer>>(), run.Sent, run.TakenOver, run.Failed, added);
            // A failed mail keeps its claim and is retried after its lease; the run itself succeeded.
            return new TimerRun($"Notifications: {run.Sent} sent, {run.TakenOver} taken over, {run.Failed} failed; {added} reminders.");
        });
}
