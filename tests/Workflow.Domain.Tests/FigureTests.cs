namespace Workflow.Domain.Tests;

/// <summary>
/// The facts each party's figures are made of, against histories built by real moves at hand-chosen times. The
/// request is made at <see cref="Given.Now"/> with the opening's due-by, <see cref="Given.OpeningDueBy"/> (10 days on).
/// </summary>
public class FigureTests
{
    private static readonly DateTimeOffset T0 = Given.Now;
    private const PartyRole C = PartyRole.Customer;
    private const PartyRole P = PartyRole.Performer;

    private static History PromisedAfter(TimeSpan answer) => Given.Requested().Then(Move.Promise, P, at: T0 + answer);

    private static MoveDetails Report(DateTimeOffset at) => new() { AssessBy = at.AddDays(3) };

    [Fact]
    public void A_promise_reported_by_its_due_date_and_accepted_at_once_was_kept_and_satisfied_the_first_time()
    {
        var reported = T0.AddDays(9);
        var history = PromisedAfter(TimeSpan.FromHours(3))
            .Then(Move.ReportComplete, P, Report(reported), reported)
            .Then(Move.DeclareSatisfied, C, at: reported.AddHours(5));

        var facts = LoopFacts.Of(history.Events);

        Assert.True(facts.Promised);
        Assert.True(facts.Kept);
        Assert.True(facts.SatisfiedFirstTime);
        Assert.Equal(3, facts.HoursToAnswer);
        Assert.Equal(1, facts.Assessments);
        Assert.Equal(5, facts.AssessHours);
        Assert.True(facts.Closed);
        Assert.Equal(reported.AddHours(5), facts.CountsAt);
    }

    [Fact]
    public void A_promise_reported_after_its_due_date_was_not_kept_even_when_accepted()
    {
        var reported = T0.AddDays(11);
        var facts = LoopFacts.Of(PromisedAfter(TimeSpan.FromHours(1))
            .Then(Move.ReportComplete, P, Report(reported), reported)
            .Then(Move.DeclareSatisfied, C, at: reported.AddHours(1)).Events);

        Assert.False(facts.Kept);
    }

    [Fact]
    public void A_result_accepted_after_a_not_yet_was_not_satisfied_the_first_time_and_counts_both_assessments()
    {
        var first = T0.AddDays(2);
        var second = T0.AddDays(4);
        var facts = LoopFacts.Of(PromisedAfter(TimeSpan.FromHours(2))
            .Then(Move.ReportComplete, P, Report(first), first)
            .Then(Move.DeclareNotSatisfied, C, new MoveDetails { Text = "The risks are missing." }, first.AddHours(10))
            .Then(Move.ReportComplete, P, Report(second), second)
            .Then(Move.DeclareSatisfied, C, at: second.AddHours(20)).Events);

        Assert.False(facts.SatisfiedFirstTime);
        Assert.True(facts.Kept);
        Assert.Equal(2, facts.Assessments);
        Assert.Equal(30, facts.AssessHours);
    }

    [Fact]
    public void A_change_proposed_after_the_due_date_is_a_renegotiation_after_it_fell_due_and_the_customer_answered_in_time()
    {
        var late = T0.AddDays(12);
        var change = new MoveDetails { Conditions = "Half the report, a week later", DueBy = late.AddDays(7), ReplyBy = late.AddDays(1) };
        var facts = LoopFacts.Of(PromisedAfter(TimeSpan.FromHours(1))
            .Then(Move.ProposeChange, P, change, late)
            .Then(Move.AcceptChange, C, at: late.AddHours(2)).Events);

        Assert.Equal(1, facts.RenegotiatedAfterDue);
        Assert.Equal(0, facts.RenegotiatedBeforeDue);
        Assert.Equal(1, facts.Answers);
        Assert.Equal(1, facts.AnswersInTime);
        Assert.Equal(late.AddDays(7), facts.DueBy);
    }

    [Fact]
    public void A_change_agreed_before_the_due_date_moves_the_due_date_a_later_report_is_measured_against()
    {
        var early = T0.AddDays(2);
        var change = new MoveDetails { Conditions = "The report and a demo", DueBy = T0.AddDays(20), ReplyBy = early.AddDays(1) };
        var reported = T0.AddDays(15);
        var facts = LoopFacts.Of(PromisedAfter(TimeSpan.FromHours(1))
            .Then(Move.ProposeChange, C, change, early)
            .Then(Move.AcceptChange, P, at: early.AddHours(1))
            .Then(Move.ReportComplete, P, Report(reported), reported)
            .Then(Move.DeclareSatisfied, C, at: reported.AddHours(1)).Events);

        Assert.Equal(1, facts.RenegotiatedBeforeDue);
        Assert.True(facts.Kept);
        Assert.Equal(0, facts.Answers); // the customer proposed it: nothing of the performer's to answer
    }

    [Fact]
    public void A_reneged_promise_was_not_kept()
    {
        var facts = LoopFacts.Of(PromisedAfter(TimeSpan.FromHours(1)).Then(Move.Renege, P, at: T0.AddDays(3)).Events);

        Assert.True(facts.Reneged);
        Assert.False(facts.Kept);
        Assert.Null(facts.SatisfiedFirstTime);
    }

    [Fact]
    public void Check_ins_count_against_the_cadence_from_the_promise_or_the_last_check_in()
    {
        var facts = LoopFacts.Of(PromisedAfter(TimeSpan.Zero)
            .Then(Move.SetCheckIns, C, new MoveDetails { CheckInEveryDays = 7 }, T0.AddHours(1))
            .Then(Move.CheckIn, C, at: T0.AddDays(5))
            .Then(Move.CheckIn, C, at: T0.AddDays(15)).Events);

        Assert.Equal(2, facts.CheckIns);
        Assert.Equal(1, facts.CheckInsInCadence);
    }

    [Fact]
    public void A_countered_request_answered_by_the_customer_after_its_reply_by_was_answered_late()
    {
        var counter = new MoveDetails { Conditions = "Fortnightly", DueBy = T0.AddDays(12), ReplyBy = T0.AddDays(2) };
        var facts = LoopFacts.Of(Given.Requested()
            .Then(Move.Counter, P, counter, T0.AddHours(4))
            .Then(Move.Accept, C, at: T0.AddDays(3)).Events);

        Assert.Equal(4, facts.HoursToAnswer);
        Assert.Equal(1, facts.Answers);
        Assert.Equal(0, facts.AnswersInTime);
        Assert.True(facts.Promised);
        Assert.Equal(T0.AddDays(12), facts.DueBy);
    }

    [Fact]
    public void The_customers_feedback_is_counted_and_the_performers_is_not_theirs()
    {
        var satisfied = PromisedAfter(TimeSpan.Zero)
            .Then(Move.ReportComplete, P, Report(T0.AddDays(1)), T0.AddDays(1))
            .Then(Move.DeclareSatisfied, C, at: T0.AddDays(2));

        Assert.False(LoopFacts.Of(satisfied.Then(Move.GiveFeedback, P, at: T0.AddDays(2)).Events).FeedbackGiven);
        Assert.True(LoopFacts.Of(satisfied.Then(Move.GiveFeedback, C, at: T0.AddDays(2)).Events).FeedbackGiven);
    }

    [Fact]
    public void A_note_concerns_no_ones_figures_and_folding_it_changes_nothing()
    {
        var promised = PromisedAfter(TimeSpan.FromHours(1));
        var noted = promised.Then(Move.Note, C, at: T0.AddDays(1));
        var note = noted.Events[^1];

        Assert.False(LoopFacts.Concerns(note));
        Assert.Equal(LoopFacts.Of(promised.Events), LoopFacts.Fold(LoopFacts.Of(promised.Events), note));
        Assert.True(LoopFacts.Concerns(promised.Events[^1]));
    }

    [Fact]
    public void Folding_a_history_commit_by_commit_arrives_where_folding_it_whole_does()
    {
        var reported = T0.AddDays(9);
        var events = PromisedAfter(TimeSpan.FromHours(3))
            .Then(Move.ReportComplete, P, Report(reported), reported)
            .Then(Move.DeclareSatisfied, C, at: reported.AddHours(5)).Events;

        for (var split = 0; split <= events.Count; split++)
        {
            var stored = LoopFacts.Of(events.Take(split));
            Assert.Equal(LoopFacts.Of(events), events.Skip(split).Aggregate(stored, LoopFacts.Fold));
        }
    }
}
