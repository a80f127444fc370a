using Workflow.Api.Features.Review;
using Workflow.Api.Hosting;
using Workflow.Application;

namespace Workflow.Api.Features.Notifications;

/// <summary>
/// The Notifications timer function (Notifications/function.json, every minute): mails the notices that are due and
/// adds reminders, so notices go out while no request keeps an instance alive. Answered to the Functions host only,
/// exactly as the weekly review's timer (<see cref="HostOnlyRoutes"/>).
/// </summary>
public static class NotificationsTimer
{
    // Routes
    //   POST /Notifications   the timer invocation: { "Data": { "timer": {...} | "..." }, "Metadata": {...} }

    public const string FunctionName = "Notifications";

    public static void MapNotificationsTimer(this IEndpointRouteBuilder app) =>
        app.MapPost("/" + FunctionName, Invoke).AllowAnonymous().ExcludeFromDescription();

    private static async Task<IResult> Invoke(
        HttpRequest request, NotificationMailer mailer, ReminderJob reminders, TimeProvider time, ILogger<NotificationMailer> logger)
    {
        if (!HostOnlyRoutes.IsFromTheHost(request.HttpContext) || !HostOnlyRoutes.IsInvocation(request))
        {
            return TypedResults.NotFound();
        }
        var ct = request.HttpContext.RequestAborted;
        // Reminders once an hour (at the top of it), not every minute: they read every person's lists.
        var added = time.GetUtcNow().Minute == 0 ? await reminders.RunAsync(ct) : 0;
        var run = await mailer.RunAsync(ct);
        Hosting.Log.NotificationRunFinished(logger, run.Sent, run.TakenOver, run.Failed, added);
        // A failed mail keeps its claim and is retried after its lease; the run itself succeeded.
        return TypedResults.Ok(new WeeklyReviewTimer.InvocationReply(
            [], [$"Notifications: {run.Sent} sent, {run.TakenOver} taken over, {run.Failed} failed; {added} reminders."], null));
    }
}
