using Workflow.Domain;

namespace Workflow.Application;

/// <summary>The children index port: a parent's children as the index projection keeps them beside it.</summary>
public interface IChildIndex
{
    /// <summary>The children of <paramref name="parentId"/> (at most <see cref="ChildIndex.MaxChildren"/>), in one query.</summary>
    Task<IReadOnlyList<ChildLine>> ChildrenAsync(string parentId, CancellationToken cancellationToken);
}

public static class ChildIndex
{
    /// <summary>The most children one parent shows; a promise split further than this is better split one level down.</summary>
    public const int MaxChildren = 200;
}

/// <summary>
/// The dual, delegation and the objective tree as use cases: what a parent shows of its children to each party, closing
/// the children a performer holds when their promise closes, and the tree from the top objective down. Opening a child is
/// <see cref="WorkflowService.OpenChildAsync"/>; every change to a child is an ordinary move through the one write path.
/// </summary>
public sealed class ChildrenService(IWorkflowStore store, IChildIndex index, WorkflowService workflows, IFollowUps followUps, TimeProvider time)
{
    /// <summary>How far the tree is walked up and down from the workflow asked for.</summary>
    public const int MaxTreeDepth = 8;

    /// <summary>The most nodes one tree reads; beyond, the rest is not shown (and the tree says so).</summary>
    public const int MaxTreeNodes = 300;

    /// <summary>The parent and its children as <paramref name="caller"/> may see them; null when they are no party of it.</summary>
    public async Task<(WorkflowState Parent, PartyRole Role, ChildrenSeen Seen)?> SeenAsync(Caller caller, string parentId, CancellationToken ct)
    {
        if (await VisibleAsync(caller, parentId, ct) is not { } parent)
        {
            return null;
        }
        var seen = ChildrenSeen.For(parent.State, caller.Id, await ChildrenAsync(parentId, ct), time.GetUtcNow());
        return (parent.State, parent.Role, seen);
    }

    /// <summary>
    /// The open children of <paramref name="parentId"/> that <paramref name="user"/> holds as their customer: what closing
    /// the parent must ask them about. Only their own children are named, so asking leaks nothing.
    /// </summary>
    public async Task<IReadOnlyList<ChildLine>> OpenHeldByAsync(UserId user, string parentId, CancellationToken ct) =>
        [.. (await ChildrenAsync(parentId, ct)).Where(line => line.IsOpen && line.SeenAs(user) == PartyRole.Customer)];

    /// <summary>
    /// A parent's children from the index, once this instance has written the lines of children committed a moment ago
    /// (a child opened or moved just now counts; another instance's are seen once projected there).
    /// </summary>
    private async Task<IReadOnlyList<ChildLine>> ChildrenAsync(string parentId, CancellationToken ct)
    {
        await followUps.WaitForWorkflowAsync(parentId, ct);
        return await index.ChildrenAsync(parentId, ct);
    }

    /// <summary>
    /// Closes every open child the caller holds as customer under the parent, each with the way out its state gives the
    /// customer (withdraw, decline, cancel), saying why; both parties of each are told as for any move. Null when the
    /// caller is no party of the parent. A child that keeps changing under it is left open and not named.
    /// </summary>
    public async Task<IReadOnlyList<string>?> CloseOpenChildrenAsync(Caller caller, string parentId, CancellationToken ct)
    {
        if (await VisibleAsync(caller, parentId, ct) is not { } parent)
        {
            return null;
        }
        var closed = new List<string>();
        var why = new MoveDetails { Text = "Closed with the promise it served: " + parent.State.Concern };
        foreach (var line in await OpenHeldByAsync(caller.Id, parentId, ct))
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var child = await store.LoadAsync(line.Id, ct);
                if (child is null || child.RoleOf(caller.Id) != PartyRole.Customer || WaysOut.ForCustomer(child) is not { } way)
                {
                    break;
                }
                var outcome = await workflows.MoveAsync(caller, child.Id, child.Version, new MakeMove(way, why), null, "", ct);
                if (outcome is Outcome.Done)
                {
                    closed.Add(child.Id);
                }
                if (outcome is not Outcome.Stale)
                {
                    break;
                }
            }
        }
        return closed;
    }

    /// <summary>
    /// The tree <paramref name="id"/> belongs to, from its top (walked up through each parent) down through every child,
    /// folded for the caller: the nodes they are a party of, counts for the rest, risk rolled up to the top. Null when the
    /// caller is no party of <paramref name="id"/>.
    /// </summary>
    public async Task<(TreeNode Root, bool Truncated)?> TreeAsync(Caller caller, string id, CancellationToken ct)
    {
        if (await VisibleAsync(caller, id, ct) is not { } start)
        {
            return null;
        }
        var top = start.State;
        for (var depth = 0; depth < MaxTreeDepth && top.Parent is { } parent; depth++)
        {
            if (await store.LoadAsync(parent.WorkflowId, ct) is not { } above)
            {
                break;
            }
            top = above;
        }

        var childrenOf = new Dictionary<string, IReadOnlyList<ChildLine>>();
        var queue = new Queue<(string Id, int Depth)>([(top.Id, 0)]);
        var nodes = 1;
        var truncated = false;
        while (queue.TryDequeue(out var node))
        {
            if (node.Depth >= MaxTreeDepth || childrenOf.ContainsKey(node.Id))
            {
                truncated |= node.Depth >= MaxTreeDepth;
                continue;
            }
            var lines = await ChildrenAsync(node.Id, ct);
            var kept = lines.Take(Math.Max(0, MaxTreeNodes - nodes)).ToList();
            truncated |= kept.Count < lines.Count;
            nodes += kept.Count;
            childrenOf[node.Id] = kept;
            foreach (var line in kept)
            {
                queue.Enqueue((line.Id, node.Depth + 1));
            }
        }
        var root = ChildLine.Of(top, top.Parent?.Relation ?? ChildRelation.Delegated);
        return (ObjectiveTree.Fold(root, caller.Id, childrenOf, time.GetUtcNow()), truncated);
    }

    private async Task<(WorkflowState State, PartyRole Role)?> VisibleAsync(Caller caller, string id, CancellationToken ct) =>
        await store.LoadAsync(id, ct) is { } state && state.RoleOf(caller.Id) is { } role && state.IsVisibleTo(role)
            ? (state, role)
            : null;
}
