using Microsoft.Extensions.Logging;

namespace Workflow.Application;

/// <summary>Does what a workflow's outbox holds, and crosses off what is done. The rest stays for the next try.</summary>
public sealed class FollowUpDispatcher(
    IOutbox outbox, IIndexProjection projection, WorkflowService workflows, Notifier notifier, OutcomeRecorder outcomes,
    IFigureProjection figures, ILogger<FollowUpDispatcher> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// Does what one commit owes, right after it was stored, from what it stored: the projection and the notices need
    /// no read of the workflow or its outbox. What fails stays in the outbox for the sweep. A notice held for a mail
    /// from memory leaves the commit's rows to that mail, which crosses them off once it went (docs/decisions/0017).
    /// </summary>
    public async Task DispatchCommitAsync(Commit commit, CancellationToken cancellationToken)
    {
        var workflowId = commit.State.Id;
        var done = new List<FollowUp>();
        var notifies = new List<Notify>();
        foreach (var followUp in commit.FollowUps)
        {
            try
            {
                switch (followUp)
                {
                    case ProjectIndex:
                        await projection.ProjectCommitAsync(commit, cancellationToken);
                        break;
                    case StartCycle start:
                        await workflows.StartCycleAsync(workflowId, start, cancellationToken);
                        break;
                    case RecordOutcomes:
                        await outcomes.RecordAsync(commit.State, commit.Events, cancellationToken);
                        break;
                    case ProjectFigures:
                        await figures.ProjectCommitAsync(commit, cancellationToken);
                        break;
                    case Notify notify:
                        notifies.Add(notify);
                        continue;
                }
                done.Add(followUp);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.FollowUpFailed(logger, e, followUp.Name, workflowId);
            }
        }
        try
        {
            var told = await notifier.TellAsync(commit, notifies, done, cancellationToken);
            if (told.Held)
            {
                return;
            }
            done.AddRange(notifies);
            done.AddRange(told.AlsoDone);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.FollowUpFailed(logger, e, "notify", workflowId);
        }
        // Crossed off together: the rows share the workflow's partition, so this is one request.
        await outbox.DoneAsync(workflowId, done, cancellationToken);
    }

    /// <summary>
    /// Runs one workflow's pending follow-ups from what is stored (the sweep's way: after a crash, a failure, or a
    /// commit on another instance), except those of a commit still leased to the instance that made it. Returns false
    /// if there were none to run.
    /// </summary>
    public async Task<bool> DispatchAsync(string workflowId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var rows = (await outbox.PendingAsync(workflowId, cancellationToken)).Where(p => p.IsFree(now)).ToList();
        var pending = rows.Select(p => p.FollowUp).ToList();
        if (pending.Count == 0)
        {
            return false;
        }
        int? projected = null;
        int? figuresProjected = null;
        var projectionFailed = false;
        var done = new List<FollowUp>();
        // The projection looks at the events of every commit still owed one, from the first of them.
        var projectFrom = pending.OfType<ProjectIndex>().Select(p => p.From is > 0 ? p.From : 1).DefaultIfEmpty(1).Min();
        foreach (var item in pending)
        {
            try
            {
                switch (item)
                {
                    case ProjectIndex project when !projectionFailed:
                        // One projection of the current state serves every commit's row up to the version it shows;
                        // a row for a commit after that read stays for the dispatch that commit queued.
                        projected ??= await projection.ProjectAsync(workflowId, projectFrom, cancellationToken);
                        if (projected < project.Version)
                        {
                            continue;
                        }
                        break;
                    case ProjectIndex:
                    case Notify:
                        continue;
                    case StartCycle start:
                        await workflows.StartCycleAsync(workflowId, start, cancellationToken);
                        break;
                    case RecordOutcomes record:
                        await outcomes.RecordAsync(workflowId, record.From, record.Version, cancellationToken);
                        break;
                    case ProjectFigures:
                        // One catch-up of the stored history serves every pending commit's row.
                        figuresProjected ??= await figures.ProjectAsync(workflowId, cancellationToken);
                        if (figuresProjected < item.Version)
                        {
                            continue;
                        }
                        break;
                }
                done.Add(item);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                projectionFailed |= item is ProjectIndex;
                Log.FollowUpFailed(logger, e, item.Name, workflowId);
            }
        }

        // Every notice of the workflow's pending commits at once: one read of its state and one of the events. A leased
        // commit's notice may have gone in a mail its instance held before it died without crossing the commit off.
        var notifies = new List<Notify>();
        try
        {
            foreach (var row in rows.Where(r => r.FollowUp is Notify))
            {
                var notify = (Notify)row.FollowUp;
                if (row.LeaseUntil is not null && await notifier.WentInHeldMailAsync(workflowId, notify, cancellationToken))
                {
                    done.Add(notify);
                    continue;
                }
                notifies.Add(notify);
            }
            await notifier.RecordAsync(workflowId, notifies, cancellationToken);
            done.AddRange(notifies);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.FollowUpFailed(logger, e, "notify", workflowId);
        }

        // Crossed off together: the rows share the workflow's partition, so this is one request.
        await outbox.DoneAsync(workflowId, done, cancellationToken);
        return true;
    }

    /// <summary>Runs every follow-up left behind. One workflow's failure does not stop the others.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var finished = 0;
        await foreach (var workflowId in outbox.WorkflowsWithPendingAsync(_time.GetUtcNow(), cancellationToken))
        {
            try
            {
                if (await DispatchAsync(workflowId, cancellationToken))
                {
                    finished++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.FollowUpFailed(logger, e, "outbox", workflowId);
            }
        }
        return finished;
    }
}
