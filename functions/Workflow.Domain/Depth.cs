namespace Workflow.Domain;

/// <summary>
/// How a workflow hangs under another (workflow-model.md, "the dual" and "delegation"). Both are opened by the parent's
/// performer, who is the child's customer:
/// <see cref="Dual"/> — "to do this I need from you: …": the roles reversed, the parent's customer performs;
/// <see cref="Delegated"/> — part of the promise handed one level down to someone the performer names.
/// </summary>
public enum ChildRelation
{
    Dual,
    Delegated,
}

/// <summary>
/// The workflow a child was opened under. <see cref="Concern"/> is the parent's, copied at opening (a concern never
/// changes): the child's customer, who is the parent's performer, is shown it without reading the parent.
/// </summary>
public sealed record ParentRef(string WorkflowId, ChildRelation Relation, string Concern);

/// <summary>Who may open which kind of child, in which of the parent's states — the links' rows beside the moves'.</summary>
public sealed record ChildRule(WorkflowStatus From, ChildRelation Relation, Mover Who);

/// <summary>An answer to one feedback question: yes, partly, no.</summary>
public enum Answer
{
    Yes,
    Partly,
    No,
}

/// <summary>
/// Feedback both ways when a loop closes. The customer assesses the result (<see cref="ResultMet"/>,
/// <see cref="KeptInformed"/>); the performer says how the customership was (<see cref="ConcernClear"/>,
/// <see cref="ConditionsNegotiable"/>, <see cref="CheckInsHelped"/>). Each party answers only their own questions.
/// </summary>
public sealed record FeedbackAnswers(
    Answer? ResultMet = null,
    Answer? KeptInformed = null,
    Answer? ConcernClear = null,
    Answer? ConditionsNegotiable = null,
    Answer? CheckInsHelped = null)
{
    public static readonly FeedbackAnswers None = new();

    /// <summary>Nothing answered. (A method, not a property: a property would be written into every stored event and the API.)</summary>
    public bool IsEmpty() => this == None;

    /// <summary>Whether every answer given is one of <paramref name="role"/>'s questions.</summary>
    public bool AreAllFor(PartyRole role) => role == PartyRole.Customer
        ? ConcernClear is null && ConditionsNegotiable is null && CheckInsHelped is null
        : ResultMet is null && KeptInformed is null;
}

/// <summary>What one party wrote when the loop closed.</summary>
public sealed record Feedback(string? Text, FeedbackAnswers Answers, DateTimeOffset At);

/// <summary>What makes a commitment at risk: its clock ran out, it was reneged, or its terms are being renegotiated.</summary>
public enum RiskKind
{
    Overdue,
    Reneged,
    Renegotiating,
}

/// <summary>A risk and since when it stands: the earliest of several is the one shown first.</summary>
public sealed record Risk(RiskKind Kind, DateTimeOffset Since);

public static class Risks
{
    /// <summary>
    /// The risk a commitment in <paramref name="status"/> with <paramref name="clocks"/> stands in at <paramref name="now"/>:
    /// an unanswered request or offer past its reply-by, a promise (or one being renegotiated) past its due-by, a
    /// renegotiation, a reneged promise. Reported work waits on its customer, not on its performer: no risk to the promise.
    /// </summary>
    public static Risk? Of(WorkflowStatus status, Clocks clocks, DateTimeOffset updatedAt, DateTimeOffset now) => status switch
    {
        WorkflowStatus.Reneged => new Risk(RiskKind.Reneged, updatedAt),
        WorkflowStatus.Requested or WorkflowStatus.Countered when clocks.ReplyBy is { } reply && reply < now => new Risk(RiskKind.Overdue, reply),
        WorkflowStatus.Promised or WorkflowStatus.Renegotiating when clocks.DueBy is { } due && due < now => new Risk(RiskKind.Overdue, due),
        WorkflowStatus.Renegotiating => new Risk(RiskKind.Renegotiating, updatedAt),
        _ => null,
    };

    public static Risk? Of(WorkflowState state, DateTimeOffset now) => Of(state.Status, state.Clocks, state.UpdatedAt, now);

    /// <summary>The risk that arose first, of any.</summary>
    public static Risk? Earliest(IEnumerable<Risk?> risks) =>
        risks.Where(r => r is not null).OrderBy(r => r!.Since).ThenBy(r => r!.Kind).FirstOrDefault();
}

/// <summary>
/// The customer's way out of a child in each open state, used when its parent closes and the child's customer chose to
/// close its open children with it: withdraw what was asked, decline what was offered, cancel what was promised.
/// </summary>
public static class WaysOut
{
    public static Move? ForCustomer(WorkflowState child) => child.Status switch
    {
        WorkflowStatus.Draft when child.OpenedBy == PartyRole.Customer => Move.Withdraw,
        WorkflowStatus.Requested => Move.Withdraw,
        WorkflowStatus.Countered => Move.Decline,
        WorkflowStatus.Promised or WorkflowStatus.Renegotiating or WorkflowStatus.Reported => Move.Cancel,
        _ => null,
    };
}
