namespace Workflow.Domain;

/// <summary>
/// One child as its parent knows it: what its parties, its state and its clocks are, kept beside the parent by the index
/// projection so the parent shows its children without reading each. Enough to decide who sees it and what risk it is in.
/// </summary>
public sealed record ChildLine(
    string Id,
    ChildRelation Relation,
    int Version,
    string Concern,
    WorkflowStatus Status,
    Clocks Clocks,
    DateTimeOffset UpdatedAt,
    PartyRole OpenedBy,
    bool KeptByOpener,
    Party Customer,
    Party Performer,
    bool Shared,
    bool IsObjective)
{
    public static ChildLine Of(WorkflowState child, ChildRelation relation) => new(
        child.Id, relation, child.Version, child.Concern, child.Status, child.Clocks, child.UpdatedAt, child.OpenedBy,
        child.KeptByOpener || child.Status == WorkflowStatus.Draft, child.Customer, child.Performer, child.SharedWithParent, child.IsObjective);

    public bool IsOpen => WorkflowState.QuadrantOf(Status) != Quadrant.Closed;

    public Quadrant Quadrant => WorkflowState.QuadrantOf(Status);

    /// <summary>As <see cref="WorkflowState.IsVisibleTo"/>: a draft is its opener's alone.</summary>
    public bool IsVisibleTo(PartyRole role) => role == OpenedBy || !KeptByOpener;

    /// <summary>The party <paramref name="user"/> is and sees it as, or null.</summary>
    public PartyRole? SeenAs(UserId user) =>
        (Customer.User == user ? PartyRole.Customer : Performer.User == user ? PartyRole.Performer : (PartyRole?)null) is { } role
        && IsVisibleTo(role) ? role : null;

    public Risk? RiskAt(DateTimeOffset now) => Risks.Of(Status, Clocks, UpdatedAt, now);
}

/// <summary>A child shown in full: <see cref="YourRole"/> in it, or null when its customer shared it with you (the parent's customer).</summary>
public sealed record ChildShown(ChildLine Line, PartyRole? YourRole, Risk? Risk);

/// <summary>
/// A parent's children as one of its parties sees them. The performer (every child's customer) sees all of them; the
/// customer sees the duals (they perform them) and the delegations shared with them, and of the others only how many
/// there are and how many are at risk — never their content or parties. Drafts stay their opener's.
/// <see cref="EarliestRisk"/> is over every child the viewer may know of: a promise whose dual is overdue is at risk to
/// both parties. <see cref="OpenAfterClose"/>: the parent is closed and the viewer still holds open children of it.
/// </summary>
public sealed record ChildrenSeen(IReadOnlyList<ChildShown> Shown, int Others, int OthersAtRisk, Risk? EarliestRisk, int OpenAfterClose)
{
    public static ChildrenSeen For(WorkflowState parent, UserId viewer, IEnumerable<ChildLine> lines, DateTimeOffset now)
    {
        var viewerRole = parent.RoleOf(viewer);
        var shown = new List<ChildShown>();
        var others = new List<ChildLine>();
        foreach (var line in lines)
        {
            if (line.SeenAs(viewer) is { } role)
            {
                shown.Add(new ChildShown(line, role, line.RiskAt(now)));
            }
            else if (viewerRole == PartyRole.Customer && line is { Relation: ChildRelation.Delegated, Shared: true, KeptByOpener: false })
            {
                shown.Add(new ChildShown(line, null, line.RiskAt(now)));
            }
            else if (!line.KeptByOpener)
            {
                others.Add(line);
            }
        }
        var otherRisks = others.Select(o => o.RiskAt(now)).ToList();
        return new ChildrenSeen(
            [.. shown.OrderBy(s => s.Line.Relation).ThenBy(s => s.Line.Clocks.Next?.At ?? DateTimeOffset.MaxValue)],
            others.Count,
            otherRisks.Count(r => r is not null),
            Risks.Earliest([.. shown.Select(s => s.Risk), .. otherRisks]),
            parent.IsClosed ? shown.Count(s => s.YourRole == PartyRole.Customer && s.Line.IsOpen) : 0);
    }
}

/// <summary>
/// One node of an objective's tree as one person sees it. A node they are a party of (or one shared with them as its
/// parent's customer) shows its content; a node they are not shows only that it is there — and only when something of
/// theirs hangs beneath it; otherwise it is folded into its parent's <see cref="HiddenBelow"/> count.
/// <see cref="RolledUp"/> is the earliest risk anywhere in the subtree, hidden nodes included: the roll-up to the top.
/// </summary>
public sealed record TreeNode(
    string Id,
    ChildLine? Line,
    PartyRole? YourRole,
    Risk? Risk,
    Risk? RolledUp,
    IReadOnlyList<TreeNode> Children,
    int HiddenBelow,
    int HiddenAtRisk)
{
    public bool Visible => Line is not null;
}

/// <summary>The tree from an objective (or any top) down through its children, folded for one viewer. Pure.</summary>
public static class ObjectiveTree
{
    /// <summary>
    /// Folds the tree under <paramref name="root"/> for <paramref name="viewer"/>; <paramref name="childrenOf"/> gives a
    /// node's children as its index holds them (missing: none were read, e.g. beyond the limits).
    /// </summary>
    public static TreeNode Fold(ChildLine root, UserId viewer, IReadOnlyDictionary<string, IReadOnlyList<ChildLine>> childrenOf, DateTimeOffset now) =>
        Fold(root, parent: null, viewer, childrenOf, now, [root.Id]);

    private static TreeNode Fold(
        ChildLine line, ChildLine? parent, UserId viewer, IReadOnlyDictionary<string, IReadOnlyList<ChildLine>> childrenOf, DateTimeOffset now,
        HashSet<string> path)
    {
        var kids = new List<TreeNode>();
        var hiddenBelow = 0;
        var hiddenAtRisk = 0;
        var risks = new List<Risk?>();
        foreach (var child in childrenOf.GetValueOrDefault(line.Id, []))
        {
            if (!path.Add(child.Id))
            {
                continue; // A cycle cannot be made through the API; a corrupt index must not loop.
            }
            var node = Fold(child, line, viewer, childrenOf, now, path);
            path.Remove(child.Id);
            if (child.KeptByOpener && node.YourRole is null)
            {
                continue; // Someone else's draft: not there for this viewer at all.
            }
            risks.Add(node.RolledUp);
            if (node.Visible || node.Children.Count > 0)
            {
                kids.Add(node);
            }
            else
            {
                // Nothing of the viewer's beneath it: it and everything under it are counted, not shown.
                hiddenBelow += 1 + node.HiddenBelow;
                hiddenAtRisk += node.RolledUp is null ? 0 : 1;
            }
        }
        var role = line.SeenAs(viewer);
        var sharedWithViewer = role is null && parent is not null && parent.Customer.User == viewer
            && line is { Relation: ChildRelation.Delegated, Shared: true, KeptByOpener: false };
        var own = line.RiskAt(now);
        var visible = role is not null || sharedWithViewer;
        return new TreeNode(
            line.Id,
            visible ? line : null,
            role,
            visible ? own : null,
            Risks.Earliest([own, .. risks]),
            kids,
            hiddenBelow,
            hiddenAtRisk);
    }
}
