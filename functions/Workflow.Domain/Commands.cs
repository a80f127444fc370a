namespace Workflow.Domain;

/// <summary>What a party asks to do to a workflow. The decider answers with events or a rejection.</summary>
public abstract record WorkflowCommand;

/// <summary>
/// Make one move of the state machine. Which details a move uses: terms (conditions, dueBy) for request, offer,
/// counter and proposeChange; replyBy for those and commitToCommit; assessBy for reportComplete; text for the
/// rest (required as the gaps for declareNotSatisfied and for a note).
/// </summary>
public sealed record MakeMove(Move Move, MoveDetails Details) : WorkflowCommand;

public sealed record LinkItem(string Key, ItemKind Kind, string? Subject) : WorkflowCommand;

public sealed record UnlinkItem(string Key) : WorkflowCommand;

public sealed record BindParty(PartyRole Role, UserId User, string? DisplayName, string? Email = null) : WorkflowCommand;

/// <summary>
/// Revokes the personal links mailed to <see cref="Party"/> (someone outside the organisation); made by the other
/// party. Links mailed later work again — revoking is for a link that went astray, not for ending the workflow.
/// </summary>
public sealed record RevokeGuestLinks(PartyRole Party) : WorkflowCommand;

/// <summary>
/// The party making it has the product forget them here (docs/decisions/0016): they become a tombstone named by
/// <see cref="Alias"/>, which the application derives so that it tells nobody who they were.
/// </summary>
public sealed record ForgetParty(string Alias) : WorkflowCommand;

public sealed record MoveDetails
{
    public static readonly MoveDetails None = new();

    public string? Conditions { get; init; }
    public DateTimeOffset? DueBy { get; init; }
    public DateTimeOffset? ReplyBy { get; init; }
    public DateTimeOffset? AssessBy { get; init; }
    public string? Text { get; init; }

    /// <summary>For repeat: the id the new cycle gets, chosen by the caller so a retry creates it once.</summary>
    public string? NewWorkflowId { get; init; }

    /// <summary>The meeting the move is made in, if any: every event of the move records it.</summary>
    public MeetingRef? Meeting { get; init; }

    /// <summary>For setCheckIns: every how many days the customer will check in (1–90); null stops the cadence.</summary>
    public int? CheckInEveryDays { get; init; }

    /// <summary>For markObjective: whether the concern is an objective.</summary>
    public bool? Objective { get; init; }

    /// <summary>For shareWithParent: whether the parent's customer may see this delegated child.</summary>
    public bool? Shared { get; init; }

    /// <summary>For giveFeedback: the answers to the mover's own questions (text is the free word).</summary>
    public FeedbackAnswers? Answers { get; init; }
}

/// <summary>What a move takes (the details' API names, in words) and which details it requires in every state.</summary>
public sealed record MoveDetailsTaken(string Takes, IReadOnlyList<string> Requires);

/// <summary>
/// Open a workflow. The opener is one of the two parties. It starts in draft (Q1) unless <see cref="Start"/> says the
/// request or the promise already happened; <see cref="ReplyBy"/> is the performer's reply-by when it starts requested.
/// <see cref="Source"/> is the mail thread or meeting it was opened from — for a recorded request or promise, the
/// evidence — linked in the same step. <see cref="Parent"/>: the workflow it was opened under (a dual or a delegation),
/// which the caller has checked the opener may open a child of (<see cref="TransitionTable.MayOpenChild"/>).
/// </summary>
public sealed record OpenWorkflow(
    string Id,
    string Concern,
    Party Customer,
    Party Performer,
    PartyRole OpenedBy,
    string? Conditions = null,
    DateTimeOffset? DueBy = null,
    string? RepeatOf = null,
    Start Start = Start.Draft,
    DateTimeOffset? ReplyBy = null,
    LinkItem? Source = null,
    ParentRef? Parent = null)
{
    /// <summary>When a role's schedule opens it: the role and occurrence it is a cycle of.</summary>
    public CycleRef? Cycle { get; init; }
}

public enum RejectionKind
{
    /// <summary>The move does not exist in this state.</summary>
    NotAllowedInState,

    /// <summary>The move exists in this state, but is not this party's to make.</summary>
    NotYourMove,

    /// <summary>The move is allowed, but its details are missing or invalid.</summary>
    InvalidDetails,
}

/// <summary>Why a command was refused. The message names the move, the state and the party.</summary>
public sealed record Rejection(RejectionKind Kind, string Message);

/// <summary>The decider's answer: the events to record, or why not.</summary>
public sealed record Decision
{
    private Decision(IReadOnlyList<WorkflowEvent> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    public IReadOnlyList<WorkflowEvent> Events { get; }
    public Rejection? Rejection { get; }
    public bool IsAccepted => Rejection is null;

    public static Decision Accept(params WorkflowEvent[] events) => new(events, null);
    public static Decision Reject(RejectionKind kind, string message) => new([], new Rejection(kind, message));
}
