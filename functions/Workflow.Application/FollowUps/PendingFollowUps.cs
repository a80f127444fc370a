using System.Threading.Channels;
using Workflow.Domain;

namespace Workflow.Application;

/// <summary>Tells the dispatcher a commit left follow-ups, and lets readers wait for them.</summary>
public interface IFollowUps
{
    /// <summary><paramref name="commit"/> was stored, with its follow-ups in the outbox.</summary>
    void Committed(Commit commit);

    /// <summary>
    /// How long the follow-ups of a commit that tells someone stay this process's own (<see cref="Commit.LeaseUntil"/>):
    /// long enough to hold its mail until due and send it. Zero when this process holds no mail.
    /// </summary>
    TimeSpan Lease { get; }

    /// <summary>Waits (briefly) for queued follow-ups that concern <paramref name="user"/>, so a person sees their own writes.</summary>
    Task WaitForUserAsync(UserId user, CancellationToken cancellationToken);

    /// <summary>Waits (briefly) for the queued follow-ups of one workflow (a repeat's new cycle, answered at once).</summary>
    Task WaitForWorkflowAsync(string workflowId, CancellationToken cancellationToken);
}

/// <summary>
/// Follow-ups waiting to be dispatched in this process. The outbox row is the promise; this queue only makes it
/// prompt. Whatever this process does not get to (it crashed, or another instance committed) the sweep finds.
/// </summary>
public sealed class PendingFollowUps(NotificationOptions? notifications = null) : IFollowUps
{
    public static readonly TimeSpan MaxWaitForOwnWrites = TimeSpan.FromSeconds(5);

    public TimeSpan Lease { get; } = HeldMails.LeaseFor(notifications);

    private readonly Channel<Job> _jobs = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly Dictionary<UserId, HashSet<Job>> _pendingByUser = [];
    private readonly Dictionary<string, HashSet<Job>> _pendingByWorkflow = [];

    public void Committed(Commit commit)
    {
        var state = commit.State;
        var job = new Job(commit, [.. new[] { state.Customer.User, state.Performer.User }.OfType<UserId>()]);
        lock (_gate)
        {
            foreach (var user in job.Users)
            {
                Add(_pendingByUser, user, job);
            }
            Add(_pendingByWorkflow, job.WorkflowId, job);
            if (state.Parent is { } parent)
            {
                // A child's line is its parent's too: whoever looks at the parent waits for it.
                Add(_pendingByWorkflow, parent.WorkflowId, job);
            }
        }
        _jobs.Writer.TryWrite(job);
    }

    public Task WaitForUserAsync(UserId user, CancellationToken cancellationToken) => WaitAsync(_pendingByUser, user, cancellationToken);

    public Task WaitForWorkflowAsync(string workflowId, CancellationToken cancellationToken) =>
        WaitAsync(_pendingByWorkflow, workflowId, cancellationToken);

    public ChannelReader<Job> Reader => _jobs.Reader;

    public void Complete(Job job)
    {
        lock (_gate)
        {
            foreach (var user in job.Users)
            {
                Remove(_pendingByUser, user, job);
            }
            Remove(_pendingByWorkflow, job.WorkflowId, job);
            if (job.Commit.State.Parent is { } parent)
            {
                Remove(_pendingByWorkflow, parent.WorkflowId, job);
            }
        }
        job.Done.TrySetResult();
    }

    private async Task WaitAsync<TKey>(Dictionary<TKey, HashSet<Job>> pending, TKey key, CancellationToken cancellationToken)
        where TKey : notnull
    {
        Task[] waits;
        lock (_gate)
        {
            if (!pending.TryGetValue(key, out var jobs))
            {
                return;
            }
            waits = [.. jobs.Select(j => j.Done.Task)];
        }
        try
        {
            await Task.WhenAll(waits).WaitAsync(MaxWaitForOwnWrites, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Served as it stands; the follow-ups will still run.
        }
    }

    private static void Add<TKey>(Dictionary<TKey, HashSet<Job>> pending, TKey key, Job job) where TKey : notnull
    {
        if (!pending.TryGetValue(key, out var jobs))
        {
            pending[key] = jobs = [];
        }
        jobs.Add(job);
    }

    private static void Remove<TKey>(Dictionary<TKey, HashSet<Job>> pending, TKey key, Job job) where TKey : notnull
    {
        if (pending.TryGetValue(key, out var jobs) && jobs.Remove(job) && jobs.Count == 0)
        {
            pending.Remove(key);
        }
    }

    /// <summary>One queued dispatch: a commit and what it owes. Compared by reference: the same workflow may be queued twice.</summary>
    public sealed class Job(Commit commit, UserId[] users)
    {
        public Commit Commit { get; } = commit;

        public string WorkflowId => Commit.State.Id;
        public UserId[] Users { get; } = users;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
