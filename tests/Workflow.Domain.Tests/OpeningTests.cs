namespace Workflow.Domain.Tests;

/// <summary>
/// How a workflow can start (workflow-model.md): in draft, or already requested or promised when one party records
/// what happened in a mail — told honestly in the history, with every move the table gives left to the other party.
/// </summary>
public sealed class OpeningTests
{
    private static readonly LinkItem Mail = new("thread:asked-in-mail", ItemKind.Message, "Can you review the budget?");

    private static Decision Open(Start start, PartyRole openedBy, string? conditions = Given.OpeningConditions, DateTimeOffset? dueBy = null,
        DateTimeOffset? replyBy = null, LinkItem? source = null) =>
        WorkflowDecider.Open(Given.Opening(openedBy) with
        {
            Start = start, Conditions = conditions, DueBy = dueBy ?? Given.OpeningDueBy, ReplyBy = replyBy, Source = source,
        }, Given.Now);

    private static Type[] Kinds(Decision decision) => [.. decision.Events.Select(e => e.GetType())];

    [Fact]
    public void A_performer_records_the_customers_request_from_a_mail_linked_as_evidence()
    {
        var decision = Open(Start.Requested, PartyRole.Performer, replyBy: Given.Now.AddDays(3), source: Mail);

        Assert.Equal([typeof(WorkflowOpened), typeof(ItemLinked), typeof(RequestRecorded)], Kinds(decision));
        Assert.All(decision.Events, e => Assert.Equal(PartyRole.Performer, e.By));
        var state = WorkflowDecider.Replay(decision.Events);
        Assert.Equal(WorkflowStatus.Requested, state.Status);
        Assert.Equal(Given.OpeningConditions, state.Proposed!.Conditions);
        Assert.Equal(Given.Now.AddDays(3), state.Clocks.ReplyBy);
        Assert.Equal(Mail.Key, Assert.Single(state.Links).Key);
        Assert.Equal(PartyRole.Performer, state.WhoseMove);
    }

    [Fact]
    public void A_performer_who_records_the_request_and_promises_in_the_same_step_is_promised_under_those_terms()
    {
        var decision = Open(Start.Promised, PartyRole.Performer);

        Assert.Equal([typeof(WorkflowOpened), typeof(RequestRecorded), typeof(Promised)], Kinds(decision));
        var state = WorkflowDecider.Replay(decision.Events);
        Assert.Equal(WorkflowStatus.Promised, state.Status);
        Assert.Equal(Given.OpeningConditions, state.Promised!.Conditions);
        Assert.Equal(Given.OpeningDueBy, state.Clocks.DueBy);
        Assert.Null(state.Clocks.ReplyBy);
        Assert.Equal(Given.Now, state.PromisedAt);
    }

    [Fact]
    public void A_customer_records_a_promise_made_to_them()
    {
        var decision = Open(Start.Promised, PartyRole.Customer);

        Assert.Equal([typeof(WorkflowOpened), typeof(PromiseRecorded)], Kinds(decision));
        Assert.Equal(PartyRole.Customer, decision.Events[^1].By);
        var state = WorkflowDecider.Replay(decision.Events);
        Assert.Equal(WorkflowStatus.Promised, state.Status);
        Assert.Equal(Given.OpeningDueBy, state.Promised!.DueBy);
        Assert.Equal(PartyRole.Performer, state.WhoseMove);
    }

    [Fact]
    public void A_customer_who_opens_as_requested_simply_requests_at_once()
    {
        var decision = Open(Start.Requested, PartyRole.Customer, replyBy: Given.Now.AddDays(1));

        Assert.Equal([typeof(WorkflowOpened), typeof(Requested)], Kinds(decision));
        var state = WorkflowDecider.Replay(decision.Events);
        Assert.Equal(WorkflowStatus.Requested, state.Status);
        Assert.Equal(1, state.Proposed!.Version);
        Assert.Equal(Given.Now.AddDays(1), state.Clocks.ReplyBy);
    }

    [Fact]
    public void A_draft_takes_no_reply_by_and_is_what_opening_gives_by_default()
    {
        Assert.Equal([typeof(WorkflowOpened)], Kinds(WorkflowDecider.Open(Given.Opening(), Given.Now)));
        Then.Refused(Open(Start.Draft, PartyRole.Customer, replyBy: Given.Now.AddDays(1)), RejectionKind.InvalidDetails);
        Then.Refused(Open(Start.Promised, PartyRole.Performer, replyBy: Given.Now.AddDays(1)), RejectionKind.InvalidDetails);
    }

    [Theory]
    [InlineData(Start.Requested, PartyRole.Performer)]
    [InlineData(Start.Requested, PartyRole.Customer)]
    [InlineData(Start.Promised, PartyRole.Performer)]
    [InlineData(Start.Promised, PartyRole.Customer)]
    public void A_recorded_start_needs_the_terms_and_a_reply_by_in_the_future(Start start, PartyRole openedBy)
    {
        var noConditions = Then.Refused(Open(start, openedBy, conditions: " "), RejectionKind.InvalidDetails);
        Assert.Contains("conditions and dueBy", noConditions.Message, StringComparison.Ordinal);
        Then.Refused(WorkflowDecider.Open(Given.Opening(openedBy) with { Start = start, DueBy = null }, Given.Now), RejectionKind.InvalidDetails);
        Then.Refused(Open(start, openedBy, dueBy: Given.Now.AddDays(-1)), RejectionKind.InvalidDetails);
        if (start == Start.Requested)
        {
            Then.Refused(Open(start, openedBy, replyBy: Given.Now), RejectionKind.InvalidDetails);
        }
    }

    [Fact]
    public void The_customer_can_withdraw_a_request_the_performer_recorded()
    {
        var recorded = Given.OpenedAs(Start.Requested, PartyRole.Performer);

        Then.Accepted<Withdrawn>(recorded.When(Move.Withdraw, PartyRole.Customer));
        Then.Accepted<Nudged>(recorded.When(Move.Nudge, PartyRole.Customer));
    }

    [Theory]
    [InlineData(Move.ProposeChange)]
    [InlineData(Move.Cancel)]
    public void The_customer_can_dispute_a_promise_the_performer_recorded_with_the_request(Move move)
    {
        Assert.True(Given.OpenedAs(Start.Promised, PartyRole.Performer).When(move, PartyRole.Customer).IsAccepted);
    }

    [Theory]
    [InlineData(Move.ProposeChange)]
    [InlineData(Move.Renege)]
    public void The_performer_can_dispute_a_promise_the_customer_recorded(Move move)
    {
        Assert.True(Given.OpenedAs(Start.Promised, PartyRole.Customer).When(move, PartyRole.Performer).IsAccepted);
    }

    [Fact]
    public void A_customer_recorded_promise_that_the_performer_disputes_and_the_customer_accepts_is_promised_under_the_new_terms()
    {
        var disputed = Given.OpenedAs(Start.Promised, PartyRole.Customer)
            .Then(Move.ProposeChange, PartyRole.Performer, new MoveDetails { DueBy = Given.Now.AddDays(30) })
            .Then(Move.AcceptChange, PartyRole.Customer);

        Assert.Equal(WorkflowStatus.Promised, disputed.State.Status);
        Assert.Equal(Given.Now.AddDays(30), disputed.State.Promised!.DueBy);
        Assert.Equal(2, disputed.State.Promised.Version);
    }

    [Theory]
    [InlineData(Start.Draft, PartyRole.Customer)]
    [InlineData(Start.Draft, PartyRole.Performer)]
    [InlineData(Start.Requested, PartyRole.Performer)]
    [InlineData(Start.Requested, PartyRole.Customer)]
    [InlineData(Start.Promised, PartyRole.Performer)]
    [InlineData(Start.Promised, PartyRole.Customer)]
    public void Every_start_replays_to_the_state_its_opening_decided(Start start, PartyRole openedBy)
    {
        var decision = Open(start, openedBy, source: Mail);

        var folded = decision.Events.Aggregate((WorkflowState?)null, WorkflowDecider.Evolve)!;
        var replayed = WorkflowDecider.Replay(decision.Events);

        Assert.Equal(folded with { Links = [] }, replayed with { Links = [] });
        Assert.Equal(decision.Events.Count, replayed.Version);
    }
}
