using Workflow.Application;

namespace Workflow.Api.Hosting;

public sealed class FollowUpOptions
{
    public const string Section = "FollowUps";

    /// <summary>How often the sweep looks for follow-ups a crash, a failure or another instance left behind. Zero turns it off.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Dispatches the follow-ups of this process's commits, one commit at a time, and runs the periodic sweep.</summary>
public sealed class FollowUpWorker(
    PendingFollowUps queue, Lazy<FollowUpDispatcher> dispatcher, FollowUpOptions options, ILogger<FollowUpWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeping = options.SweepInterval > TimeSpan.Zero ? SweepPeriodicallyAsync(stoppingToken) : Task.CompletedTask;
        await foreach (var job in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await dispatcher.Value.DispatchCommitAsync(job.Commit, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Left in the outbox for the sweep.
                Log.FollowUpsFailed(logger, e, job.WorkflowId);
            }
            finally
            {
                queue.Complete(job);
            }
        }
        await sweeping;
    }

    private async Task SweepPeriodicallyAsync(CancellationToken stoppingToken)
    {
        // The first sweep waits one interval: start-up makes no storage call, and the host's readiness probe
        // is answered at once (docs/decisions/0001).
        using var timer = new PeriodicTimer(options.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var finished = await dispatcher.Value.SweepAsync(stoppingToken);
                if (finished > 0)
                {
                    Log.SweepFinished(logger, finished);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SweepFailed(logger, e, options.SweepInterval);
            }
        }
    }
}
