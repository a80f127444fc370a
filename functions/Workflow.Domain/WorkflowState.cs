namespace Workflow.Domain;

/// <summary>
/// Where one workflow stands: the fold of its events (<see cref="WorkflowDecider.Evolve"/>). Immutable; every
/// change is a new value built by an event, so the stored history always replays to exactly this.
/// </summary>
public sealed record WorkflowState
{
    public const int MaxLinks = 100;

    public required string Id { get; init; }
    public required int Version { get; init; }
    public required string Concern { get; init; }
    public required Party Customer { get; init; }
    public required Party Performer { get; init; }
    public required PartyRole OpenedBy { get; init; }
    public required WorkflowStatus Status { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The terms in force: fixed by promise, accept or acceptChange. Null until a promise forms.</summary>
    public Terms? Promised { get; init; }

    /// <summary>The terms under negotiation: proposed at open, by request, offer, counter or proposeChange.</summary>
    public Terms? Proposed { get; init; }

    /// <summary>The highest terms version ever proposed; each new proposal takes the next number.</summary>
    public int LastTermsVersion { get; init; }

    /// <summary>Who proposed the change being renegotiated; the other party answers it.</summary>
    public PartyRole? ChangeProposedBy { get; init; }

    public Clocks Clocks { get; init; } = Clocks.None;

    /// <summary>When the terms in force were promised (promise, accept or acceptChange).</summary>
    public DateTimeOffset? PromisedAt { get; init; }

    /// <summary>When the customer last checked in on the promise.</summary>
    public DateTimeOffset? LastCheckInAt { get; init; }

    /// <summary>Opened and not yet sent to the other party: true from the opening until a request or an offer (or a recorded start).</summary>
    public bool KeptByOpener { get; init; }

    /// <summary>
    /// The version of the event that first sent it to the other party: the notes written before it stay the opener's. Null until sent, and in histories stored before it was kept.
    /// </summary>
    public int? SentAtVersion { get; init; }

    /// <summary>
    /// Whether <paramref name="role"/> sees the event stored at <paramref name="version"/> in the history: everything,
    /// except the notes the opener wrote while it was still their draft. (What was filed under it shows in its links
    /// either way.)
    /// </summary>
    public bool ShowsEventTo(PartyRole role, int version, WorkflowEvent e) =>
        role == OpenedBy || e is not NoteAdded || SentAtVersion is not { } sent || version >= sent;

    /// <summary>When the customer last nudged the performer about the request; the next nudge waits a day from it.</summary>
    public DateTimeOffset? LastNudgeAt { get; init; }

    /// <summary>
    /// True from the opening until the party who did not open the workflow makes their first move: while it holds,
    /// the workflow is shown to them as proposed to them. False in states stored before it existed, so workflows from
    /// then are not flagged.
    /// </summary>
    public bool RecipientYetToMove { get; init; }

    /// <summary>What the customer said was missing when they last declared themselves not satisfied.</summary>
    public string? Gaps { get; init; }

    public IReadOnlyList<ItemLink> Links { get; init; } = [];

    /// <summary>The closed workflow this one repeats, if it was started by "repeat".</summary>
    public string? RepeatOf { get; init; }

    /// <summary>The role and occurrence this workflow is a cycle of, if a role's schedule opened it.</summary>
    public CycleRef? Cycle { get; init; }

    /// <summary>Who performed it before each handover of its role, and the version from which they no longer did, oldest first.</summary>
    public IReadOnlyList<FormerPerformer> FormerPerformers { get; init; } = [];

    /// <summary>The party who was <paramref name="role"/> when the event at <paramref name="version"/> was made (a cycle may have changed performer since).</summary>
    public Party PartyAt(PartyRole role, int version) =>
        role == PartyRole.Performer && FormerPerformers.FirstOrDefault(f => version < f.UntilVersion) is { } former
            ? former.Performer
            : this[role];

    /// <summary>The workflow that repeats this one, once a party has repeated it.</summary>
    public string? RepeatedAs { get; init; }

    /// <summary>When the customer's personal links were last revoked (links issued before then no longer work).</summary>
    public DateTimeOffset? CustomerLinksRevokedAt { get; init; }

    /// <summary>When the performer's personal links were last revoked.</summary>
    public DateTimeOffset? PerformerLinksRevokedAt { get; init; }

    public DateTimeOffset? GuestLinksRevokedAt(PartyRole party) =>
        party == PartyRole.Customer ? CustomerLinksRevokedAt : PerformerLinksRevokedAt;

    /// <summary>The workflow this one was opened under (its dual or a delegation), if any.</summary>
    public ParentRef? Parent { get; init; }

    /// <summary>Every how many days the customer promised to check in; null: the weekly review's default.</summary>
    public int? CheckInEveryDays { get; init; }

    /// <summary>The customer marked the concern an objective: the top of a tree of promises and delegations.</summary>
    public bool IsObjective { get; init; }

    /// <summary>A delegated child its customer shows to the parent's customer.</summary>
    public bool SharedWithParent { get; init; }

    public Feedback? CustomerFeedback { get; init; }
    public Feedback? PerformerFeedback { get; init; }

    public Feedback? FeedbackOf(PartyRole role) => role == PartyRole.Customer ? CustomerFeedback : PerformerFeedback;

    /// <summary>
    /// When the customer's next check-in is due under their cadence: a cadence after the last check-in (or the promise),
    /// while the promise is in force or renegotiated. Null without a cadence, or when no check-in is owed.
    /// </summary>
    public DateTimeOffset? NextCheckInBy =>
        CheckInEveryDays is { } days && Status is WorkflowStatus.Promised or WorkflowStatus.Renegotiating
            && (LastCheckInAt ?? PromisedAt) is { } since
            ? since + TimeSpan.FromDays(days)
            : null;

    public Quadrant Quadrant => QuadrantOf(Status);

    public bool IsClosed => Quadrant == Quadrant.Closed;

    public Party this[PartyRole role] => role == PartyRole.Customer ? Customer : Performer;

    /// <summary>Whose move it is ("ball in court"); null once the workflow is closed.</summary>
    public PartyRole? WhoseMove => Status switch
    {
        WorkflowStatus.Draft => OpenedBy,
        WorkflowStatus.Requested => PartyRole.Performer,
        WorkflowStatus.Countered => PartyRole.Customer,
        WorkflowStatus.Promised => PartyRole.Performer,
        WorkflowStatus.Renegotiating => Other(ChangeProposedBy ?? PartyRole.Customer),
        WorkflowStatus.Reported => PartyRole.Customer,
        _ => null,
    };

    /// <summary>A nudge is at most one a day: the earliest the next may be made, once there was one.</summary>
    public DateTimeOffset? NextNudgeAt => LastNudgeAt + WorkflowDecider.NudgeInterval;

    /// <summary>
    /// Whether the party sees the workflow at all. A draft is its opener's alone: the other party learns of it when it
    /// is sent (a request or an offer, or opened as already requested or promised), not while the opener is still making
    /// up their mind — and not at all if the opener withdraws it unsent. States stored before <see cref="KeptByOpener"/>
    /// existed are hidden while in draft and shown after, as the status alone can tell.
    /// </summary>
    public bool IsVisibleTo(PartyRole role) => role == OpenedBy || (Status != WorkflowStatus.Draft && !KeptByOpener);

    /// <summary>Unsolicited, as the party who did not open it sees it until they make a move of their own.</summary>
    public bool IsProposedTo(PartyRole role) => role != OpenedBy && RecipientYetToMove;

    /// <summary>The role a user plays in this workflow, or null if they are not one of its parties.</summary>
    public PartyRole? RoleOf(UserId user) =>
        Customer.User == user ? PartyRole.Customer
        : Performer.User == user ? PartyRole.Performer
        : null;

    public static Quadrant QuadrantOf(WorkflowStatus status) => status switch
    {
        WorkflowStatus.Draft => Quadrant.Q1,
        WorkflowStatus.Requested or WorkflowStatus.Countered or WorkflowStatus.Renegotiating => Quadrant.Q2,
        WorkflowStatus.Promised => Quadrant.Q3,
        WorkflowStatus.Reported => Quadrant.Q4,
        _ => Quadrant.Closed,
    };

    public static PartyRole Other(PartyRole role) =>
        role == PartyRole.Customer ? PartyRole.Performer : PartyRole.Customer;
}
