using Workflow.Application;

namespace Workflow.Api.Hosting;

/// <summary>
/// Mails the notices that are due, every <see cref="NotificationOptions.PollInterval"/>, and runs the reminder pass
/// every <see cref="NotificationOptions.ReminderInterval"/>. In Azure the Notifications timer function does the same
/// each minute, so an instance scaled to zero still mails; two of them at once is safe (claims, docs/decisions/0010).
/// </summary>
public sealed class NotificationWorker(
    Lazy<NotificationMailer> mailer, Lazy<ReminderJob> reminders, HeldMails held, NotificationOptions options, TimeProvider time,
    ILogger<NotificationWorker> logger)
    : BackgroundService
{
    /// <summary>The mails this instance holds go into their boxes when it stops, not after their leases (docs/decisions/0017).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (held.Count > 0)
        {
            await mailer.Value.HandOverHeldAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.PollInterval <= TimeSpan.Zero)
        {
            return;
        }
        // The first pass waits one interval: start-up makes no storage call (docs/decisions/0001).
        using var timer = new PeriodicTimer(options.PollInterval);
        var lastReminders = time.GetUtcNow();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (options.ReminderInterval > TimeSpan.Zero && time.GetUtcNow() - lastReminders >= options.ReminderInterval)
                {
                    lastReminders = time.GetUtcNow();
                    await reminders.Value.RunAsync(stoppingToken);
                }
                await mailer.Value.RunAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.NotificationPassFailed(logger, e, options.PollInterval);
            }
        }
    }
}
