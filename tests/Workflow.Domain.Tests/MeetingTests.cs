namespace Workflow.Domain.Tests;

/// <summary>Moves made in a meeting record it; what a meeting is for decides what is on its agenda.</summary>
public sealed class MeetingTests
{
    private static readonly MeetingRef Standup = new("event:teams:19:meeting_abc@thread.v2", new DateOnly(2030, 3, 4));

    [Fact]
    public void Every_event_of_a_move_made_in_a_meeting_records_the_meeting()
    {
        var promised = Given.Requested().Then(Move.Promise, PartyRole.Performer, new MoveDetails { Meeting = Standup });

        Assert.Equal(Standup, Assert.IsType<Promised>(promised.Events[^1]).InMeeting);
        Assert.Null(promised.Events[^2].InMeeting); // The request was made outside it.
        Assert.Equal(WorkflowStatus.Promised, promised.State.Status);
    }

    [Fact]
    public void A_move_refused_in_a_meeting_records_nothing()
    {
        Then.Refused(Given.Requested().When(Move.DeclareSatisfied, PartyRole.Customer, new MoveDetails { Meeting = Standup }),
            RejectionKind.NotAllowedInState);
    }

    [Theory]
    [InlineData(Quadrant.Q1, WorkflowStatus.Draft, true)]
    [InlineData(Quadrant.Q1, WorkflowStatus.Requested, false)]
    [InlineData(Quadrant.Q2, WorkflowStatus.Requested, true)]
    [InlineData(Quadrant.Q2, WorkflowStatus.Countered, true)]
    [InlineData(Quadrant.Q2, WorkflowStatus.Renegotiating, true)]
    [InlineData(Quadrant.Q2, WorkflowStatus.Promised, false)]
    [InlineData(Quadrant.Q4, WorkflowStatus.Reported, true)]
    [InlineData(Quadrant.Q4, WorkflowStatus.Satisfied, false)]
    [InlineData(Quadrant.Closed, WorkflowStatus.Draft, false)]
    public void A_meetings_purpose_calls_for_the_workflows_in_its_quadrant(Quadrant purpose, WorkflowStatus status, bool onAgenda)
    {
        Assert.Equal(onAgenda, MeetingAgenda.CallsFor(purpose, status, false, null, Given.Now, null, Given.Now));
    }

    [Fact]
    public void An_offer_not_yet_answered_is_a_concern_being_shaped_not_a_negotiation()
    {
        Assert.True(MeetingAgenda.CallsFor(Quadrant.Q1, WorkflowStatus.Countered, true, null, Given.Now, null, Given.Now));
        Assert.False(MeetingAgenda.CallsFor(Quadrant.Q2, WorkflowStatus.Countered, true, null, Given.Now, null, Given.Now));
        // A counter to a request is negotiation.
        Assert.True(MeetingAgenda.CallsFor(Quadrant.Q2, WorkflowStatus.Countered, false, null, Given.Now, null, Given.Now));
    }

    [Fact]
    public void A_check_in_meeting_calls_for_promises_a_week_without_a_check_in_or_due_within_the_week()
    {
        var now = Given.Now;
        Assert.True(MeetingAgenda.CallsFor(Quadrant.Q3, WorkflowStatus.Promised, false, now.AddDays(-8), now.AddDays(-1), now.AddDays(30), now));
        Assert.True(MeetingAgenda.CallsFor(Quadrant.Q3, WorkflowStatus.Promised, false, now.AddDays(-1), now.AddDays(-1), now.AddDays(6), now));
        Assert.False(MeetingAgenda.CallsFor(Quadrant.Q3, WorkflowStatus.Promised, false, now.AddDays(-1), now.AddDays(-1), now.AddDays(30), now));
        // Never checked in: the week runs from the last change (the promise).
        Assert.False(MeetingAgenda.CallsFor(Quadrant.Q3, WorkflowStatus.Promised, false, null, now.AddDays(-2), null, now));
        Assert.True(MeetingAgenda.CallsFor(Quadrant.Q3, WorkflowStatus.Promised, false, null, now.AddDays(-7), null, now));
        Assert.False(MeetingAgenda.CallsFor(Quadrant.Q3, WorkflowStatus.Reported, false, now.AddDays(-30), now.AddDays(-30), null, now));
    }
}
