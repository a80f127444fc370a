using System.Threading.Channels;
using Workflow.Api.Application;
using Workflow.Api.Hosting;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// Index updates waiting to run in this process. A person's next list read waits (briefly) for the updates that
/// concern them, so they see their own writes; other instances catch up through the sweep.
/// </summary>
public sealed class PendingIndexUpdates : IIndexUpdates
{
    private static readonly TimeSpan MaxWaitForOwnWrites = TimeSpan.FromSeconds(5);

    private readonly Channel<Job> _jobs = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly Dictionary<UserId, HashSet<Job>> _pendingByUser = [];

    public void Enqueue(WorkflowState state)
    {
        var job = new Job(state.Id, [.. new[] { state.Customer.User, state.Performer.User }.OfType<UserId>()]);
        lock (_gate)
        {
            foreach (var user in job.Users)
            {
                if (!_pendingByUser.TryGetValue(user, out var pending))
                {
                    _pendingByUser[user] = pending = [];
                }
                pending.Add(job);
            }
        }
        _jobs.Writer.TryWrite(job);
    }

    public async Task WaitForUserAsync(UserId user, CancellationToken cancellationToken)
    {
        Task[] waits;
        lock (_gate)
        {
            if (!_pendingByUser.TryGetValue(user, out var pending))
            {
                return;
            }
            waits = [.. pending.Select(j => j.Done.Task)];
        }
        try
        {
            await Task.WhenAll(waits).WaitAsync(MaxWaitForOwnWrites, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The list is served as it stands; the projection will still land.
        }
    }

    internal ChannelReader<Job> Reader => _jobs.Reader;

    internal void Complete(Job job)
    {
        lock (_gate)
        {
            foreach (var user in job.Users)
            {
                if (_pendingByUser.TryGetValue(user, out var pending) && pending.Remove(job) && pending.Count == 0)
                {
                    _pendingByUser.Remove(user);
                }
            }
        }
        job.Done.TrySetResult();
    }

    /// <summary>One queued update. Compared by reference: the same workflow may be queued twice.</summary>
    internal sealed class Job(string workflowId, UserId[] users)
    {
        public string WorkflowId { get; } = workflowId;
        public UserId[] Users { get; } = users;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

public sealed class IndexOptions
{
    public const string Section = "Index";

    /// <summary>How often the sweep looks for index updates a crash or failure left behind. Zero turns it off.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Runs queued index updates one at a time, and the periodic sweep.</summary>
public sealed class IndexWorker(
    PendingIndexUpdates queue, Lazy<IndexProjector> projector, IndexOptions options, ILogger<IndexWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeping = options.SweepInterval > TimeSpan.Zero ? SweepPeriodicallyAsync(stoppingToken) : Task.CompletedTask;
        await foreach (var job in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await projector.Value.ProjectAsync(job.WorkflowId, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Left for the sweep: the workflow's state row still says IndexPending.
                Log.IndexingFailed(logger, e, job.WorkflowId);
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
                var repaired = await projector.Value.SweepAsync(stoppingToken);
                if (repaired > 0)
                {
                    Log.SweepRepaired(logger, repaired);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SweepFailed(logger, e, options.SweepInterval);
            }
        }
    }
}
