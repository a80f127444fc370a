using Microsoft.Extensions.Logging;

namespace Workflow.Application;

/// <summary>Does what a workflow's outbox holds, and crosses off what is done. The rest stays for the next try.</summary>
public sealed class FollowUpDispatcher(
    IOutbox outbox, IIndexProjection projection, WorkflowService workflows, Notifier notifier, ILogger<FollowUpDispatcher> logger)
{
    /// <summary>Runs one workflow's pending follow-ups. Returns false if there were none.</summary>
    public async Task<bool> DispatchAsync(string workflowId, CancellationToken cancellationToken)
    {
        var pending = await outbox.PendingAsync(workflowId, cancellationToken);
        if (pending.Count == 0)
        {
            return false;
        }
        int? projected = null;
        var projectionFailed = false;
        var done = new List<PendingFollowUp>();
        foreach (var item in pending)
        {
            try
            {
                switch (item.FollowUp)
                {
                    case ProjectIndex project when !projectionFailed:
                        // One projection of the current state serves every commit's row up to the version it shows;
                        // a row for a commit after that read stays for the dispatch that commit queued.
                        projected ??= await projection.ProjectAsync(workflowId, cancellationToken);
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
                }
                done.Add(item);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                projectionFailed |= item.FollowUp is ProjectIndex;
                Log.FollowUpFailed(logger, e, item.FollowUp.Name, workflowId);
            }
        }

        // Every notice of the workflow's pending commits at once: one read of its state and one of the events.
        var notifies = pending.Where(p => p.FollowUp is Notify).ToList();
        try
        {
            await notifier.RecordAsync(workflowId, [.. notifies.Select(p => (Notify)p.FollowUp)], cancellationToken);
            done.AddRange(notifies);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.FollowUpFailed(logger, e, "notify", workflowId);
        }

        // Crossed off together: the rows share the workflow's partition, so this is one request.
        await outbox.DoneAsync(done, cancellationToken);
        return true;
    }

    /// <summary>Runs every follow-up left behind. One workflow's failure does not stop the others.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var finished = 0;
        await foreach (var workflowId in outbox.WorkflowsWithPendingAsync(cancellationToken))
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
