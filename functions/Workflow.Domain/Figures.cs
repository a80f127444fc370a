namespace Workflow.Domain;

/// <summary>
/// What one workflow's history says about how each party kept their side of the loop: the fold of its events, pure,
/// so a projection can fold a commit's new events into the facts it stored (<see cref="Fold"/>) and arrive where a
/// fold of the whole history would (<see cref="Of"/>). The fields after the facts are what folding needs to remember
/// (the due-by in force, when a request came in …); they are part of the value so equal facts fold equally.
/// <para>
/// Performer: <see cref="Promised"/>; <see cref="Kept"/> (satisfied with the accepted report made by the due-by in
/// force; false when reneged or reported late; null while open or ended otherwise); changes accepted while promised,
/// proposed before or after the due-by in force; <see cref="Reneged"/>; <see cref="SatisfiedFirstTime"/> (satisfied
/// without a "not yet" before); hours from the request to the performer's first answer.
/// Customer: answers to the performer's proposals (counter, offer, change) and how many came by their reply-by;
/// check-ins made under a cadence and how many came within it; hours from each report to its assessment; feedback.
/// </para>
/// </summary>
public sealed record LoopFacts
{
    public bool Promised { get; init; }
    public bool? Kept { get; init; }
    public int RenegotiatedBeforeDue { get; init; }
    public int RenegotiatedAfterDue { get; init; }
    public bool Reneged { get; init; }
    public bool? SatisfiedFirstTime { get; init; }
    public double? HoursToAnswer { get; init; }

    public int Answers { get; init; }
    public int AnswersInTime { get; init; }
    public int CheckIns { get; init; }
    public int CheckInsInCadence { get; init; }
    public int Assessments { get; init; }
    public double AssessHours { get; init; }
    public bool FeedbackGiven { get; init; }

    /// <summary>The week it counts in: when the loop closed, or while open, when it first counted (a promise, an answer).</summary>
    public DateTimeOffset? CountsAt { get; init; }
    public bool Closed { get; init; }

    // What folding remembers.
    public DateTimeOffset? DueBy { get; init; }
    public DateTimeOffset? ProposedDueBy { get; init; }
    public DateTimeOffset? RequestedAt { get; init; }
    public DateTimeOffset? CustomerReplyBy { get; init; }
    public DateTimeOffset? ChangeProposedAt { get; init; }
    public DateTimeOffset? ReportedAt { get; init; }
    public DateTimeOffset? DueAtReport { get; init; }
    public DateTimeOffset? CheckInSince { get; init; }
    public int? CadenceDays { get; init; }
    public bool NotYetSaid { get; init; }

    public static readonly LoopFacts None = new();

    /// <summary>
    /// The facts about one party's side only (what their row keeps and their figures count): a move on the other
    /// side leaves these equal, so their row is not rewritten for it.
    /// </summary>
    public LoopFacts Side(PartyRole role) => role == PartyRole.Performer
        ? new()
        {
            Promised = Promised, Kept = Kept, RenegotiatedBeforeDue = RenegotiatedBeforeDue, RenegotiatedAfterDue = RenegotiatedAfterDue,
            Reneged = Reneged, SatisfiedFirstTime = SatisfiedFirstTime, HoursToAnswer = HoursToAnswer, CountsAt = CountsAt, Closed = Closed,
        }
        : new()
        {
            Answers = Answers, AnswersInTime = AnswersInTime, CheckIns = CheckIns, CheckInsInCadence = CheckInsInCadence,
            Assessments = Assessments, AssessHours = AssessHours, FeedbackGiven = FeedbackGiven, SatisfiedFirstTime = SatisfiedFirstTime,
            CountsAt = CountsAt, Closed = Closed,
        };

    /// <summary>
    /// Whether an event can change anyone's facts, or whom they are about (a party bound, a cycle handed over): a
    /// commit of notes, links and the like owes the figures nothing.
    /// </summary>
    public static bool Concerns(WorkflowEvent e) => e is not (NoteAdded or ItemLinked or ItemUnlinked or ObjectiveMarked
        or SharedWithParent or GuestLinksRevoked or Repeated or ProgressReported or Nudged or HandoverOffered or HandoverLeft)
        && !(e is Workflow.Domain.FeedbackGiven && e.By == PartyRole.Performer);

    /// <summary>The facts of a whole history.</summary>
    public static LoopFacts Of(IEnumerable<WorkflowEvent> history) => history.Aggregate(None, Fold);

    /// <summary>The facts after one more event. Events that say nothing about keeping a promise leave them equal.</summary>
    public static LoopFacts Fold(LoopFacts f, WorkflowEvent e) => e switch
    {
        WorkflowOpened o => f with { ProposedDueBy = o.Terms?.DueBy },
        Requested r => f with { ProposedDueBy = r.Terms.DueBy, RequestedAt = f.HoursToAnswer is null ? e.At : f.RequestedAt },
        RequestRecorded r => f with { ProposedDueBy = r.Terms.DueBy },
        Offered o => f with { ProposedDueBy = o.Terms.DueBy, CustomerReplyBy = o.ReplyBy },
        Countered c when c.By == PartyRole.Performer => Answered(f, e) with { ProposedDueBy = c.Terms.DueBy, CustomerReplyBy = c.ReplyBy },
        Countered c => CustomerAnswered(f, e) with { ProposedDueBy = c.Terms.DueBy },
        Workflow.Domain.Promised => Counted(Answered(f, e) with { Promised = true, DueBy = f.ProposedDueBy, CheckInSince = e.At }, e),
        CounterAccepted => Counted(CustomerAnswered(f, e) with { Promised = true, DueBy = f.ProposedDueBy, CheckInSince = e.At }, e),
        PromiseRecorded p => Counted(f with { Promised = true, DueBy = p.Terms.DueBy, ProposedDueBy = p.Terms.DueBy, CheckInSince = e.At }, e),
        Declined when e.By == PartyRole.Performer => Closing(Answered(f, e), e),
        Declined => Closing(CustomerAnswered(f, e), e),
        Withdrawn or Cancelled => Closing(f, e),
        ReplyPromised => Answered(f, e),
        ChangeProposed c => (c.By == PartyRole.Performer ? f with { CustomerReplyBy = c.ReplyBy } : f)
            with { ProposedDueBy = c.Terms.DueBy, ChangeProposedAt = e.At },
        ChangeAccepted => Counted(Renegotiated(e.By == PartyRole.Customer ? CustomerAnswered(f, e) : f) with { DueBy = f.ProposedDueBy }, e),
        ChangeRejected or ChangeWithdrawn => (e.By == PartyRole.Customer && e is ChangeRejected ? CustomerAnswered(f, e) : f)
            with { ChangeProposedAt = null, CustomerReplyBy = null },
        CheckInCadenceSet s => f with { CadenceDays = s.EveryDays },
        CheckedIn => f.CadenceDays is { } days
            ? Counted(f with
            {
                CheckIns = f.CheckIns + 1,
                CheckInsInCadence = f.CheckInsInCadence + (f.CheckInSince is { } since && e.At - since <= TimeSpan.FromDays(days) ? 1 : 0),
                CheckInSince = e.At,
            }, e)
            : f with { CheckInSince = e.At },
        CompletionReported => Counted(f with { ReportedAt = e.At, DueAtReport = f.DueBy }, e),
        DissatisfactionDeclared => Counted(Assessed(f, e) with { NotYetSaid = true, CheckInSince = e.At }, e),
        SatisfactionDeclared => Closing(Assessed(f, e) with
        {
            Kept = f.DueAtReport is not { } due || f.ReportedAt <= due,
            SatisfiedFirstTime = !f.NotYetSaid,
        }, e),
        Workflow.Domain.Reneged => Closing(f with { Reneged = true, Kept = false }, e),
        Workflow.Domain.FeedbackGiven when e.By == PartyRole.Customer => f with { FeedbackGiven = true },
        _ => f,
    };

    private static LoopFacts Counted(LoopFacts f, WorkflowEvent e) => f with { CountsAt = f.CountsAt ?? e.At };

    private static LoopFacts Closing(LoopFacts f, WorkflowEvent e) => f with { Closed = true, CountsAt = e.At };

    /// <summary>The performer's first answer to the request: how long the customer waited for it.</summary>
    private static LoopFacts Answered(LoopFacts f, WorkflowEvent e) =>
        f.RequestedAt is { } asked && f.HoursToAnswer is null
            ? Counted(f with { HoursToAnswer = Math.Round((e.At - asked).TotalHours, 1), RequestedAt = null }, e)
            : f;

    /// <summary>The customer's answer to a proposal of the performer: in time if by the reply-by it came with.</summary>
    private static LoopFacts CustomerAnswered(LoopFacts f, WorkflowEvent e) =>
        f.CustomerReplyBy is { } by
            ? Counted(f with { Answers = f.Answers + 1, AnswersInTime = f.AnswersInTime + (e.At <= by ? 1 : 0), CustomerReplyBy = null }, e)
            : f;

    private static LoopFacts Renegotiated(LoopFacts f) =>
        f.ChangeProposedAt is { } proposed && f.DueBy is { } due && proposed > due
            ? f with { RenegotiatedAfterDue = f.RenegotiatedAfterDue + 1, ChangeProposedAt = null }
            : f with { RenegotiatedBeforeDue = f.RenegotiatedBeforeDue + 1, ChangeProposedAt = null };

    private static LoopFacts Assessed(LoopFacts f, WorkflowEvent e) =>
        f.ReportedAt is { } reported
            ? f with { Assessments = f.Assessments + 1, AssessHours = f.AssessHours + Math.Round((e.At - reported).TotalHours, 1) }
            : f;
}
