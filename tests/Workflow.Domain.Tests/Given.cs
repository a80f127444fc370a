namespace Workflow.Domain.Tests;

/// <summary>
/// Workflows built the way they really come about: opened, then driven through real moves by the decider. A state is
/// never constructed by hand, so a test can only start from a state the decider can actually reach.
/// </summary>
internal static class Given
{
    /// <summary>The fixed "now" every test decides at; every date a test proposes is relative to it.</summary>
    public static readonly DateTimeOffset Now = new(2030, 3, 4, 9, 0, 0, TimeSpan.Zero);

    public const string WorkflowId = "wf-1";
    public const string Concern = "Keep the board informed about the migration";
    public const string OpeningConditions = "A one-page status report on the migration";
    public static readonly DateTimeOffset OpeningDueBy = Now.AddDays(10);

    /// <summary>The terms the performer counters with on the way to "countered".</summary>
    public static readonly MoveDetails PerformersCounter = new()
    {
        Conditions = "A one-page status report, fortnightly", DueBy = Now.AddDays(12), ReplyBy = Now.AddDays(2),
    };

    /// <summary>The terms the performer offers on the way to "countered" from a draft the performer opened.</summary>
    public static readonly MoveDetails PerformersOffer = new()
    {
        Conditions = "A status report whenever a milestone is reached", DueBy = Now.AddDays(9), ReplyBy = Now.AddDays(2),
    };

    /// <summary>The change proposed on the way to "renegotiating".</summary>
    public static readonly MoveDetails ProposedChange = new()
    {
        Conditions = "A one-page status report with a short demo", DueBy = Now.AddDays(15), ReplyBy = Now.AddDays(1),
    };

    public static readonly Party Customer = new("ana@contoso.com", "Ana", new UserId("tenant", "ana"));

    /// <summary>Named by email only: not yet found in the directory.</summary>
    public static readonly Party Performer = new("ben@contoso.com", "Ben", null);

    /// <summary>
    /// Every Given workflow is delegated from a parent, so each move the table has — sharing with the parent's customer
    /// too — can be made on it; a workflow without a parent is <see cref="Unparented"/>.
    /// </summary>
    public static readonly ParentRef Parent = new("wf-0", ChildRelation.Delegated, "Migrate the billing system");

    public static OpenWorkflow Opening(PartyRole openedBy = PartyRole.Customer) =>
        new(WorkflowId, Concern, Customer, Performer, openedBy, OpeningConditions, OpeningDueBy, Parent: Parent);

    /// <summary>A workflow opened on its own, under no other.</summary>
    public static OpenWorkflow Unparented(PartyRole openedBy = PartyRole.Customer) => Opening(openedBy) with { Parent = null };

    public static History Draft(PartyRole openedBy = PartyRole.Customer) => History.Open(Opening(openedBy));

    /// <summary>Opened already requested or promised: what happened in a mail, recorded by <paramref name="openedBy"/>.</summary>
    public static History OpenedAs(Start start, PartyRole openedBy) => History.Open(Opening(openedBy) with { Start = start });

    public static History Requested() => Draft().Then(Move.Request, PartyRole.Customer, MoveDetails.None);

    public static History Countered() => Requested().Then(Move.Counter, PartyRole.Performer, PerformersCounter);

    public static History Offered() => Draft(PartyRole.Performer).Then(Move.Offer, PartyRole.Performer, PerformersOffer);

    public static History Promised() => Requested().Then(Move.Promise, PartyRole.Performer);

    public static History Renegotiating(PartyRole proposedBy) => Promised().Then(Move.ProposeChange, proposedBy, ProposedChange);

    public static History Reported() => Promised().Then(Move.ReportComplete, PartyRole.Performer, MoveDetails.None);

    public static History Satisfied() => Reported().Then(Move.DeclareSatisfied, PartyRole.Customer);

    public static History Reneged() => Promised().Then(Move.Renege, PartyRole.Performer);

    public static History Declined() => Requested().Then(Move.Decline, PartyRole.Performer);

    public static History Cancelled() => Promised().Then(Move.Cancel, PartyRole.Customer);

    /// <summary>
    /// Valid details for a move made "now": fresh terms (different from any a Given path proposed, so a counter or a
    /// change always changes something), dates in the future, text where text is required.
    /// </summary>
    public static MoveDetails DetailsFor(Move move) => move switch
    {
        Move.Request or Move.Offer => new()
        {
            Conditions = "A two-page status report with the risks", DueBy = Now.AddDays(14), ReplyBy = Now.AddDays(2),
        },
        Move.Counter or Move.ProposeChange => new()
        {
            Conditions = "A status report with a risk register", DueBy = Now.AddDays(21), ReplyBy = Now.AddDays(3),
        },
        Move.CommitToCommit => new() { ReplyBy = Now.AddDays(4) },
        Move.ReportComplete => new() { AssessBy = Now.AddDays(5), Text = "The report is in the shared folder." },
        Move.DeclareNotSatisfied => new() { Text = "The risks section is missing." },
        Move.Note => new() { Text = "Discussed in the Monday meeting." },
        Move.Repeat => new() { NewWorkflowId = "wf-2" },
        Move.SetCheckIns => new() { CheckInEveryDays = 7 },
        Move.MarkObjective => new() { Objective = true },
        Move.ShareWithParent => new() { Shared = true },
        Move.GiveFeedback => new() { Text = "Clear concern, fair conditions." },
        _ => new() { Text = "Because." },
    };
}

/// <summary>An immutable history of events and the decisions made on top of it.</summary>
internal sealed class History
{
    private readonly WorkflowEvent[] events;

    private History(WorkflowEvent[] events) => this.events = events;

    public IReadOnlyList<WorkflowEvent> Events => events;

    public WorkflowState State => WorkflowDecider.Replay(events);

    public static History Open(OpenWorkflow command, DateTimeOffset? at = null)
    {
        var decision = WorkflowDecider.Open(command, at ?? Given.Now);
        return decision.IsAccepted
            ? new History([.. decision.Events])
            : throw new InvalidOperationException($"Could not open the workflow: {decision.Rejection}");
    }

    /// <summary>The decision on a move, with the details <see cref="Given.DetailsFor"/> gives unless stated.</summary>
    public Decision When(Move move, PartyRole by, MoveDetails? details = null, DateTimeOffset? at = null) =>
        When(new MakeMove(move, details ?? Given.DetailsFor(move)), by, at);

    public Decision When(WorkflowCommand command, PartyRole by, DateTimeOffset? at = null) =>
        WorkflowDecider.Decide(State, command, by, at ?? Given.Now);

    /// <summary>This history with the events of an accepted move appended; a refusal here is a broken test setup.</summary>
    public History Then(Move move, PartyRole by, MoveDetails? details = null, DateTimeOffset? at = null) =>
        Then(new MakeMove(move, details ?? Given.DetailsFor(move)), by, at);

    public History Then(WorkflowCommand command, PartyRole by, DateTimeOffset? at = null)
    {
        var decision = When(command, by, at);
        return decision.IsAccepted
            ? new History([.. events, .. decision.Events])
            : throw new InvalidOperationException($"A Given step was refused: {decision.Rejection}");
    }
}

/// <summary>The two outcomes a decision can have.</summary>
internal static class Then
{
    /// <summary>The decision recorded exactly one event, of exactly this type.</summary>
    public static TEvent Accepted<TEvent>(Decision decision) where TEvent : WorkflowEvent
    {
        Assert.Null(decision.Rejection);
        return Assert.IsType<TEvent>(Assert.Single(decision.Events));
    }

    /// <summary>The decision was accepted and had nothing to record (the command was already done).</summary>
    public static void NothingToRecord(Decision decision)
    {
        Assert.Null(decision.Rejection);
        Assert.Empty(decision.Events);
    }

    public static Rejection Refused(Decision decision, RejectionKind kind)
    {
        Assert.Empty(decision.Events);
        var rejection = Assert.IsType<Rejection>(decision.Rejection);
        Assert.Equal(kind, rejection.Kind);
        return rejection;
    }
}
