namespace Workflow.Domain;

/// <summary>Who may make a move, as the model's "who" column says it.</summary>
public enum Mover
{
    Customer,
    Performer,
    EitherParty,
    /// <summary>The party who opened the workflow (withdraw from draft).</summary>
    Opener,
    /// <summary>The party who proposed the change under renegotiation (withdrawChange).</summary>
    ChangeProposer,
    /// <summary>The party who did not propose the change (acceptChange, rejectChange).</summary>
    OtherThanChangeProposer,
}

/// <summary>One row of the state machine. <see cref="To"/> is null where the move keeps the state.</summary>
public sealed record Transition(WorkflowStatus From, Move Move, Mover Who, WorkflowStatus? To);

/// <summary>
/// The conversation state machine of workflow-model.md as data: the one place the table lives. The decider checks
/// every command against it and <see cref="AvailableMoves"/> reads it, so clients never hard-code it.
/// </summary>
public static class TransitionTable
{
    private static readonly WorkflowStatus[] Open =
    [
        WorkflowStatus.Draft, WorkflowStatus.Requested, WorkflowStatus.Countered, WorkflowStatus.Promised,
        WorkflowStatus.Renegotiating, WorkflowStatus.Reported,
    ];

    private static readonly WorkflowStatus[] Terminal =
    [
        WorkflowStatus.Satisfied, WorkflowStatus.Reneged, WorkflowStatus.Declined, WorkflowStatus.Cancelled,
    ];

    public static IReadOnlyList<WorkflowStatus> OpenStates => Open;
    public static IReadOnlyList<WorkflowStatus> TerminalStates => Terminal;

    public static IReadOnlyList<Transition> Rows => Table;

    /// <summary>The table as an array: read on every answer (the moves one may make now), so walked without LINQ.</summary>
    private static readonly Transition[] Table =
    [
        new(WorkflowStatus.Draft, Move.Request, Mover.Customer, WorkflowStatus.Requested),
        new(WorkflowStatus.Draft, Move.Offer, Mover.Performer, WorkflowStatus.Countered),
        new(WorkflowStatus.Draft, Move.Withdraw, Mover.Opener, WorkflowStatus.Declined),

        new(WorkflowStatus.Requested, Move.Promise, Mover.Performer, WorkflowStatus.Promised),
        new(WorkflowStatus.Requested, Move.Counter, Mover.Performer, WorkflowStatus.Countered),
        new(WorkflowStatus.Requested, Move.Decline, Mover.Performer, WorkflowStatus.Declined),
        new(WorkflowStatus.Requested, Move.Withdraw, Mover.Customer, WorkflowStatus.Declined),
        new(WorkflowStatus.Requested, Move.CommitToCommit, Mover.Performer, null),
        new(WorkflowStatus.Requested, Move.Nudge, Mover.Customer, null),

        new(WorkflowStatus.Countered, Move.Accept, Mover.Customer, WorkflowStatus.Promised),
        new(WorkflowStatus.Countered, Move.Counter, Mover.Customer, WorkflowStatus.Requested),
        new(WorkflowStatus.Countered, Move.Decline, Mover.Customer, WorkflowStatus.Declined),
        new(WorkflowStatus.Countered, Move.Withdraw, Mover.Performer, WorkflowStatus.Declined),

        new(WorkflowStatus.Promised, Move.ReportComplete, Mover.Performer, WorkflowStatus.Reported),
        new(WorkflowStatus.Promised, Move.Renege, Mover.Performer, WorkflowStatus.Reneged),
        new(WorkflowStatus.Promised, Move.Cancel, Mover.Customer, WorkflowStatus.Cancelled),
        new(WorkflowStatus.Promised, Move.ProposeChange, Mover.EitherParty, WorkflowStatus.Renegotiating),
        new(WorkflowStatus.Promised, Move.CheckIn, Mover.Customer, null),
        new(WorkflowStatus.Promised, Move.ReportProgress, Mover.Performer, null),

        new(WorkflowStatus.Renegotiating, Move.AcceptChange, Mover.OtherThanChangeProposer, WorkflowStatus.Promised),
        new(WorkflowStatus.Renegotiating, Move.RejectChange, Mover.OtherThanChangeProposer, WorkflowStatus.Promised),
        new(WorkflowStatus.Renegotiating, Move.WithdrawChange, Mover.ChangeProposer, WorkflowStatus.Promised),
        new(WorkflowStatus.Renegotiating, Move.CheckIn, Mover.Customer, null),
        new(WorkflowStatus.Renegotiating, Move.ReportProgress, Mover.Performer, null),
        new(WorkflowStatus.Renegotiating, Move.Renege, Mover.Performer, WorkflowStatus.Reneged),
        new(WorkflowStatus.Renegotiating, Move.Cancel, Mover.Customer, WorkflowStatus.Cancelled),

        new(WorkflowStatus.Reported, Move.DeclareSatisfied, Mover.Customer, WorkflowStatus.Satisfied),
        new(WorkflowStatus.Reported, Move.DeclareNotSatisfied, Mover.Customer, WorkflowStatus.Promised),
        new(WorkflowStatus.Reported, Move.Cancel, Mover.Customer, WorkflowStatus.Cancelled),

        // A note never changes the state and is open to either party in every state.
        .. Open.Concat(Terminal).Select(s => new Transition(s, Move.Note, Mover.EitherParty, null)),

        // Repeat starts a new cycle between the same parties from a closed one.
        .. Terminal.Select(s => new Transition(s, Move.Repeat, Mover.EitherParty, null)),

        // The dual: the customer sets a check-in cadence on a promise in force (or being renegotiated).
        new(WorkflowStatus.Promised, Move.SetCheckIns, Mover.Customer, null),
        new(WorkflowStatus.Renegotiating, Move.SetCheckIns, Mover.Customer, null),

        // A concern is the customer's: they mark it an objective while it is open.
        .. Open.Select(s => new Transition(s, Move.MarkObjective, Mover.Customer, null)),

        // A delegated child is its customer's (the parent's performer) to show to the parent's customer, at any time.
        .. Open.Concat(Terminal).Select(s => new Transition(s, Move.ShareWithParent, Mover.Customer, null)),

        // Feedback both ways once the loop is closed.
        .. Terminal.Select(s => new Transition(s, Move.GiveFeedback, Mover.EitherParty, null)),
    ];

    /// <summary>The states a parent may be in for its performer to open a child: while the promise is negotiated or in force.</summary>
    private static readonly WorkflowStatus[] Parenting =
        [WorkflowStatus.Requested, WorkflowStatus.Countered, WorkflowStatus.Promised, WorkflowStatus.Renegotiating];

    /// <summary>
    /// Who may open a child of which kind: the performer, to ask the customer for what they need (the dual) or to hand
    /// part of the promise down (delegation), while it is negotiated or in force — never once done or closed.
    /// </summary>
    public static IReadOnlyList<ChildRule> ChildRules => ChildTable;

    private static readonly ChildRule[] ChildTable =
    [
        .. Parenting.SelectMany(s => new[] { new ChildRule(s, ChildRelation.Dual, Mover.Performer), new ChildRule(s, ChildRelation.Delegated, Mover.Performer) }),
    ];

    private static readonly ChildRelation[] Relations = Enum.GetValues<ChildRelation>();

    /// <summary>Whether <paramref name="role"/> may open a child of <paramref name="relation"/> under this workflow now.</summary>
    public static bool MayOpenChild(WorkflowState parent, ChildRelation relation, PartyRole role)
    {
        foreach (var rule in ChildTable)
        {
            if (rule.From == parent.Status && rule.Relation == relation && Permits(rule.Who, parent, role))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The kinds of child <paramref name="role"/> may open under this workflow now.</summary>
    public static IReadOnlyList<ChildRelation> AvailableChildren(WorkflowState parent, PartyRole role)
    {
        var kinds = new List<ChildRelation>(Relations.Length);
        foreach (var relation in Relations)
        {
            if (MayOpenChild(parent, relation, role))
            {
                kinds.Add(relation);
            }
        }
        return kinds;
    }

    /// <summary>The rows for a move in a state (a move has at most one row per state).</summary>
    public static Transition? Find(WorkflowStatus from, Move move)
    {
        foreach (var row in Table)
        {
            if (row.From == from && row.Move == move)
            {
                return row;
            }
        }
        return null;
    }

    /// <summary>
    /// Whether <paramref name="role"/> is the party the row names, in this workflow. A draft is its opener's alone
    /// (the other party does not even see it), so in draft only the opener moves, whatever the row says.
    /// </summary>
    public static bool Permits(Transition row, WorkflowState state, PartyRole role) => Permits(row.Who, state, role);

    private static bool Permits(Mover who, WorkflowState state, PartyRole role) => state.IsVisibleTo(role) && who switch
    {
        Mover.Customer => role == PartyRole.Customer,
        Mover.Performer => role == PartyRole.Performer,
        Mover.EitherParty => true,
        Mover.Opener => role == state.OpenedBy,
        Mover.ChangeProposer => role == state.ChangeProposedBy,
        Mover.OtherThanChangeProposer => state.ChangeProposedBy is { } proposer && role != proposer,
        _ => false,
    };

    /// <summary>
    /// The moves <paramref name="role"/> may make <paramref name="now"/>, in table order: not a repeat already made, nor
    /// a nudge before a day has passed since the last, nor feedback already given; sharing only for a delegated child.
    /// </summary>
    public static IReadOnlyList<Move> AvailableMoves(WorkflowState state, PartyRole role, DateTimeOffset now)
    {
        var moves = new List<Move>();
        foreach (var row in Table)
        {
            if (row.From == state.Status && Permits(row.Who, state, role) && row.Move switch
                {
                    Move.Repeat => state.RepeatedAs is null,
                    Move.Nudge => !(state.NextNudgeAt > now),
                    Move.GiveFeedback => state.FeedbackOf(role) is null,
                    Move.ShareWithParent => state.Parent is { Relation: ChildRelation.Delegated },
                    _ => true,
                })
            {
                moves.Add(row.Move);
            }
        }
        return moves;
    }
}
