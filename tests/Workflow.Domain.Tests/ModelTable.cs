namespace Workflow.Domain.Tests;

/// <summary>Who may make a move, in the words of the model's "who" column.</summary>
internal enum Who
{
    Customer,
    Performer,
    EitherParty,
    Opener,
    ChangeProposer,
    TheOtherParty,
}

/// <summary>One row of the model's table. <see cref="To"/> equals <see cref="From"/> where the move keeps the state.</summary>
internal sealed record ModelRow(WorkflowStatus From, Move Move, Who Who, WorkflowStatus To, Type Event);

/// <summary>
/// The state machine of docs/workflow-model.md, restated by hand. It is deliberately not read from
/// <see cref="TransitionTable.Rows"/>: the tests compare the decider with the model, not the table with itself.
/// </summary>
internal static class ModelTable
{
    public static IReadOnlyList<ModelRow> Rows { get; } =
    [
        new(WorkflowStatus.Draft, Move.Request, Who.Customer, WorkflowStatus.Requested, typeof(Requested)),
        new(WorkflowStatus.Draft, Move.Offer, Who.Performer, WorkflowStatus.Countered, typeof(Offered)),
        new(WorkflowStatus.Draft, Move.Withdraw, Who.Opener, WorkflowStatus.Declined, typeof(Withdrawn)),
        new(WorkflowStatus.Draft, Move.Note, Who.EitherParty, WorkflowStatus.Draft, typeof(NoteAdded)),

        new(WorkflowStatus.Requested, Move.Promise, Who.Performer, WorkflowStatus.Promised, typeof(Promised)),
        new(WorkflowStatus.Requested, Move.Counter, Who.Performer, WorkflowStatus.Countered, typeof(Countered)),
        new(WorkflowStatus.Requested, Move.Decline, Who.Performer, WorkflowStatus.Declined, typeof(Declined)),
        new(WorkflowStatus.Requested, Move.Withdraw, Who.Customer, WorkflowStatus.Declined, typeof(Withdrawn)),
        new(WorkflowStatus.Requested, Move.CommitToCommit, Who.Performer, WorkflowStatus.Requested, typeof(ReplyPromised)),
        new(WorkflowStatus.Requested, Move.Nudge, Who.Customer, WorkflowStatus.Requested, typeof(Nudged)),
        new(WorkflowStatus.Requested, Move.Note, Who.EitherParty, WorkflowStatus.Requested, typeof(NoteAdded)),

        new(WorkflowStatus.Countered, Move.Accept, Who.Customer, WorkflowStatus.Promised, typeof(CounterAccepted)),
        new(WorkflowStatus.Countered, Move.Counter, Who.Customer, WorkflowStatus.Requested, typeof(Countered)),
        new(WorkflowStatus.Countered, Move.Decline, Who.Customer, WorkflowStatus.Declined, typeof(Declined)),
        new(WorkflowStatus.Countered, Move.Withdraw, Who.Performer, WorkflowStatus.Declined, typeof(Withdrawn)),
        new(WorkflowStatus.Countered, Move.Note, Who.EitherParty, WorkflowStatus.Countered, typeof(NoteAdded)),

        new(WorkflowStatus.Promised, Move.ReportComplete, Who.Performer, WorkflowStatus.Reported, typeof(CompletionReported)),
        new(WorkflowStatus.Promised, Move.Renege, Who.Performer, WorkflowStatus.Reneged, typeof(Reneged)),
        new(WorkflowStatus.Promised, Move.Cancel, Who.Customer, WorkflowStatus.Cancelled, typeof(Cancelled)),
        new(WorkflowStatus.Promised, Move.ProposeChange, Who.EitherParty, WorkflowStatus.Renegotiating, typeof(ChangeProposed)),
        new(WorkflowStatus.Promised, Move.CheckIn, Who.Customer, WorkflowStatus.Promised, typeof(CheckedIn)),
        new(WorkflowStatus.Promised, Move.ReportProgress, Who.Performer, WorkflowStatus.Promised, typeof(ProgressReported)),
        new(WorkflowStatus.Promised, Move.Note, Who.EitherParty, WorkflowStatus.Promised, typeof(NoteAdded)),

        new(WorkflowStatus.Renegotiating, Move.AcceptChange, Who.TheOtherParty, WorkflowStatus.Promised, typeof(ChangeAccepted)),
        new(WorkflowStatus.Renegotiating, Move.RejectChange, Who.TheOtherParty, WorkflowStatus.Promised, typeof(ChangeRejected)),
        new(WorkflowStatus.Renegotiating, Move.WithdrawChange, Who.ChangeProposer, WorkflowStatus.Promised, typeof(ChangeWithdrawn)),
        new(WorkflowStatus.Renegotiating, Move.CheckIn, Who.Customer, WorkflowStatus.Renegotiating, typeof(CheckedIn)),
        new(WorkflowStatus.Renegotiating, Move.ReportProgress, Who.Performer, WorkflowStatus.Renegotiating, typeof(ProgressReported)),
        new(WorkflowStatus.Renegotiating, Move.Renege, Who.Performer, WorkflowStatus.Reneged, typeof(Reneged)),
        new(WorkflowStatus.Renegotiating, Move.Cancel, Who.Customer, WorkflowStatus.Cancelled, typeof(Cancelled)),
        new(WorkflowStatus.Renegotiating, Move.Note, Who.EitherParty, WorkflowStatus.Renegotiating, typeof(NoteAdded)),

        new(WorkflowStatus.Reported, Move.DeclareSatisfied, Who.Customer, WorkflowStatus.Satisfied, typeof(SatisfactionDeclared)),
        new(WorkflowStatus.Reported, Move.DeclareNotSatisfied, Who.Customer, WorkflowStatus.Promised, typeof(DissatisfactionDeclared)),
        new(WorkflowStatus.Reported, Move.Cancel, Who.Customer, WorkflowStatus.Cancelled, typeof(Cancelled)),
        new(WorkflowStatus.Reported, Move.Note, Who.EitherParty, WorkflowStatus.Reported, typeof(NoteAdded)),

        new(WorkflowStatus.Satisfied, Move.Note, Who.EitherParty, WorkflowStatus.Satisfied, typeof(NoteAdded)),
        new(WorkflowStatus.Satisfied, Move.Repeat, Who.EitherParty, WorkflowStatus.Satisfied, typeof(Repeated)),
        new(WorkflowStatus.Reneged, Move.Note, Who.EitherParty, WorkflowStatus.Reneged, typeof(NoteAdded)),
        new(WorkflowStatus.Reneged, Move.Repeat, Who.EitherParty, WorkflowStatus.Reneged, typeof(Repeated)),
        new(WorkflowStatus.Declined, Move.Note, Who.EitherParty, WorkflowStatus.Declined, typeof(NoteAdded)),
        new(WorkflowStatus.Declined, Move.Repeat, Who.EitherParty, WorkflowStatus.Declined, typeof(Repeated)),
        new(WorkflowStatus.Cancelled, Move.Note, Who.EitherParty, WorkflowStatus.Cancelled, typeof(NoteAdded)),
        new(WorkflowStatus.Cancelled, Move.Repeat, Who.EitherParty, WorkflowStatus.Cancelled, typeof(Repeated)),

        // The dual: the customer's check-in cadence on a promise in force or being renegotiated.
        new(WorkflowStatus.Promised, Move.SetCheckIns, Who.Customer, WorkflowStatus.Promised, typeof(CheckInCadenceSet)),
        new(WorkflowStatus.Renegotiating, Move.SetCheckIns, Who.Customer, WorkflowStatus.Renegotiating, typeof(CheckInCadenceSet)),

        // The customer's concern becomes an objective while it is open.
        .. new[] { WorkflowStatus.Draft, WorkflowStatus.Requested, WorkflowStatus.Countered, WorkflowStatus.Promised, WorkflowStatus.Renegotiating, WorkflowStatus.Reported }
            .Select(s => new ModelRow(s, Move.MarkObjective, Who.Customer, s, typeof(ObjectiveMarked))),

        // A delegated workflow (every Given one is) is its customer's to show to the parent's customer, in every state.
        .. Enum.GetValues<WorkflowStatus>().Select(s => new ModelRow(s, Move.ShareWithParent, Who.Customer, s, typeof(SharedWithParent))),

        // Feedback both ways once the loop is closed.
        .. new[] { WorkflowStatus.Satisfied, WorkflowStatus.Reneged, WorkflowStatus.Declined, WorkflowStatus.Cancelled }
            .Select(s => new ModelRow(s, Move.GiveFeedback, Who.EitherParty, s, typeof(FeedbackGiven))),
    ];

    public static ModelRow? Find(WorkflowStatus from, Move move) =>
        Rows.SingleOrDefault(row => row.From == from && row.Move == move);

    /// <remarks>A draft is its opener's alone: the other party does not see it, so makes no move on it.</remarks>
    public static bool Allows(ModelRow row, Situation situation, PartyRole role) =>
        (situation.Status != WorkflowStatus.Draft || role == situation.OpenedBy) && row.Who switch
    {
        Who.Customer => role == PartyRole.Customer,
        Who.Performer => role == PartyRole.Performer,
        Who.EitherParty => true,
        Who.Opener => role == situation.OpenedBy,
        Who.ChangeProposer => role == situation.ChangeProposedBy,
        Who.TheOtherParty => situation.ChangeProposedBy is { } proposer && role != proposer,
        _ => throw new ArgumentOutOfRangeException(nameof(row), row.Who, "Unknown party."),
    };

    public static ModelRow? Allowed(Situation situation, Move move, PartyRole role) =>
        Find(situation.Status, move) is { } row && Allows(row, situation, role) ? row : null;

    public static HashSet<Move> AllowedMoves(Situation situation, PartyRole role) =>
        [.. Enum.GetValues<Move>().Where(move => Allowed(situation, move, role) is not null)];
}

/// <summary>A way to reach a state: the state, who opened the workflow, who proposed the change under way.</summary>
internal sealed record Situation(string Name, WorkflowStatus Status, Func<History> Build)
{
    public PartyRole OpenedBy { get; init; } = PartyRole.Customer;
    public PartyRole? ChangeProposedBy { get; init; }

    public static IReadOnlyList<Situation> All { get; } =
    [
        new("draft opened by the customer", WorkflowStatus.Draft, () => Given.Draft()),
        new("draft opened by the performer", WorkflowStatus.Draft, () => Given.Draft(PartyRole.Performer))
        {
            OpenedBy = PartyRole.Performer,
        },
        new("requested", WorkflowStatus.Requested, Given.Requested),
        new("requested, recorded by the performer", WorkflowStatus.Requested, () => Given.OpenedAs(Start.Requested, PartyRole.Performer))
        {
            OpenedBy = PartyRole.Performer,
        },
        new("requested by the customer at opening", WorkflowStatus.Requested, () => Given.OpenedAs(Start.Requested, PartyRole.Customer)),
        new("countered by the performer", WorkflowStatus.Countered, Given.Countered),
        new("offered by the performer", WorkflowStatus.Countered, Given.Offered) { OpenedBy = PartyRole.Performer },
        new("promised", WorkflowStatus.Promised, Given.Promised),
        new("promised, recorded by the performer with the request", WorkflowStatus.Promised,
            () => Given.OpenedAs(Start.Promised, PartyRole.Performer)) { OpenedBy = PartyRole.Performer },
        new("promised, recorded by the customer", WorkflowStatus.Promised, () => Given.OpenedAs(Start.Promised, PartyRole.Customer)),
        new("renegotiating a change the customer proposed", WorkflowStatus.Renegotiating,
            () => Given.Renegotiating(PartyRole.Customer)) { ChangeProposedBy = PartyRole.Customer },
        new("renegotiating a change the performer proposed", WorkflowStatus.Renegotiating,
            () => Given.Renegotiating(PartyRole.Performer)) { ChangeProposedBy = PartyRole.Performer },
        new("reported", WorkflowStatus.Reported, Given.Reported),
        new("satisfied", WorkflowStatus.Satisfied, Given.Satisfied),
        new("reneged", WorkflowStatus.Reneged, Given.Reneged),
        new("declined", WorkflowStatus.Declined, Given.Declined),
        new("cancelled", WorkflowStatus.Cancelled, Given.Cancelled),
    ];

    public static Situation Named(string name) => All.Single(s => s.Name == name);

    public override string ToString() => Name;
}
