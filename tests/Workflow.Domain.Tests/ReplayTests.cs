namespace Workflow.Domain.Tests;

/// <summary>A stored history always replays to the state its events built, one Evolve at a time.</summary>
public sealed class ReplayTests
{
    public static TheoryData<string> EverySituation() => [.. Situation.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(EverySituation))]
    public void Replaying_a_history_equals_folding_evolve_over_its_events(string situationName)
    {
        var history = Situation.Named(situationName).Build()
            .Then(new LinkItem("thread-1", ItemKind.Message, "Migration"), PartyRole.Customer)
            .Then(new BindParty(PartyRole.Performer, new UserId("tenant", "ben"), null), PartyRole.Performer);

        var folded = history.Events.Aggregate((WorkflowState?)null, WorkflowDecider.Evolve)!;
        var replayed = WorkflowDecider.Replay(history.Events);

        AssertSameState(folded, replayed);
        Assert.Equal(history.Events.Count, replayed.Version);
    }

    [Fact]
    public void Replaying_nothing_is_no_workflow()
    {
        Assert.Throws<InvalidOperationException>(() => WorkflowDecider.Replay([]));
    }

    [Fact]
    public void A_history_must_start_with_the_opening()
    {
        Assert.Throws<InvalidOperationException>(() => WorkflowDecider.Evolve(null, new NoteAdded("Hello")));
    }

    [Fact]
    public void A_whole_loop_from_Q1_to_Q4_with_a_renegotiation_and_a_not_satisfied_round_ends_where_expected()
    {
        static DateTimeOffset At(int hour) => Given.Now.AddHours(hour);
        var quadrants = new List<Quadrant>();

        var history = Given.Draft();
        quadrants.Add(history.State.Quadrant);
        foreach (var (move, by, details, hour) in Script())
        {
            history = history.Then(move, by, details, At(hour));
            quadrants.Add(history.State.Quadrant);
        }
        var final = WorkflowDecider.Replay(history.Events);

        Quadrant[] expectedQuadrants =
        [
            Quadrant.Q1, // opened
            Quadrant.Q2, Quadrant.Q2, Quadrant.Q2, Quadrant.Q2, // request, counter, counter back, commit to commit
            Quadrant.Q3, Quadrant.Q3, Quadrant.Q3, Quadrant.Q3, // promise, check in, progress, note
            Quadrant.Q2, Quadrant.Q3, Quadrant.Q2, Quadrant.Q3, // change rejected, change accepted
            Quadrant.Q4, Quadrant.Q3, Quadrant.Q4, // reported, not satisfied, reported again
            Quadrant.Closed, Quadrant.Closed, // satisfied, repeated
        ];
        Assert.Equal(expectedQuadrants, quadrants);
        Assert.Equal(WorkflowStatus.Satisfied, final.Status);
        Assert.Null(final.WhoseMove);
        Assert.Equal(
            new Terms(5, "A close pack with variance notes and a summary", Given.Now.AddDays(12), PartyRole.Customer, At(10)),
            final.Promised);
        Assert.Null(final.Proposed);
        Assert.Null(final.ChangeProposedBy);
        Assert.Equal(5, final.LastTermsVersion);
        Assert.Equal(Clocks.None, final.Clocks);
        Assert.Null(final.Gaps);
        Assert.Equal("wf-2", final.RepeatedAs);
        Assert.Equal(history.Events.Count, final.Version);
        Assert.Equal(18, final.Version);
        Assert.Equal(At(16), final.UpdatedAt);
        Assert.Equal(Given.Now, final.OpenedAt);
    }

    [Fact]
    public void The_gaps_of_a_not_satisfied_round_stay_visible_until_the_customer_is_satisfied()
    {
        var notSatisfied = Given.Reported().Then(Move.DeclareNotSatisfied, PartyRole.Customer);
        var reportedAgain = notSatisfied.Then(Move.ReportComplete, PartyRole.Performer);

        Assert.Equal(Given.DetailsFor(Move.DeclareNotSatisfied).Text, reportedAgain.State.Gaps);
        Assert.Null(reportedAgain.Then(Move.DeclareSatisfied, PartyRole.Customer).State.Gaps);
    }

    /// <summary>Each step of the loop after opening: the move, who makes it, its details and the hour it happens at.</summary>
    private static IEnumerable<(Move Move, PartyRole By, MoveDetails Details, int Hour)> Script()
    {
        var dueBy = Given.Now.AddDays(12);
        yield return (Move.Request, PartyRole.Customer, MoveDetails.None, 1);
        yield return (Move.Counter, PartyRole.Performer, new MoveDetails { DueBy = dueBy }, 2);
        yield return (Move.Counter, PartyRole.Customer, new MoveDetails { Conditions = "A close pack with variance notes" }, 3);
        yield return (Move.CommitToCommit, PartyRole.Performer, new MoveDetails { ReplyBy = Given.Now.AddDays(1) }, 4);
        yield return (Move.Promise, PartyRole.Performer, MoveDetails.None, 5);
        yield return (Move.CheckIn, PartyRole.Customer, MoveDetails.None, 6);
        yield return (Move.ReportProgress, PartyRole.Performer, new MoveDetails { Text = "Half done" }, 6);
        yield return (Move.Note, PartyRole.Performer, new MoveDetails { Text = "Waiting on the bank statements" }, 7);
        yield return (Move.ProposeChange, PartyRole.Performer, new MoveDetails { DueBy = Given.Now.AddDays(20) }, 8);
        yield return (Move.RejectChange, PartyRole.Customer, MoveDetails.None, 9);
        yield return (Move.ProposeChange, PartyRole.Customer,
            new MoveDetails { Conditions = "A close pack with variance notes and a summary" }, 10);
        yield return (Move.AcceptChange, PartyRole.Performer, MoveDetails.None, 11);
        yield return (Move.ReportComplete, PartyRole.Performer, MoveDetails.None, 12);
        yield return (Move.DeclareNotSatisfied, PartyRole.Customer, new MoveDetails { Text = "The summary is missing" }, 13);
        yield return (Move.ReportComplete, PartyRole.Performer, new MoveDetails { AssessBy = Given.Now.AddDays(2) }, 14);
        yield return (Move.DeclareSatisfied, PartyRole.Customer, MoveDetails.None, 15);
        yield return (Move.Repeat, PartyRole.Customer, new MoveDetails { NewWorkflowId = "wf-2" }, 16);
    }

    /// <summary>Equal field by field; the links are compared as sequences since each fold builds its own list.</summary>
    private static void AssertSameState(WorkflowState expected, WorkflowState actual)
    {
        Assert.Equal(expected.Links, actual.Links);
        Assert.Equal(expected with { Links = [] }, actual with { Links = [] });
    }
}
