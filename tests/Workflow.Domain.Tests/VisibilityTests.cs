namespace Workflow.Domain.Tests;

/// <summary>Who sees a workflow, and when it shows as proposed to them: a draft is its opener's alone; unsolicited until answered.</summary>
public sealed class VisibilityTests
{
    [Theory]
    [InlineData(PartyRole.Customer)]
    [InlineData(PartyRole.Performer)]
    public void A_draft_is_seen_by_its_opener_only_and_by_both_once_it_leaves_draft(PartyRole opener)
    {
        var draft = Given.Draft(opener);
        var other = WorkflowState.Other(opener);

        Assert.True(draft.State.IsVisibleTo(opener));
        Assert.False(draft.State.IsVisibleTo(other));
        Assert.Empty(TransitionTable.AvailableMoves(draft.State, other, Given.Now));

        var leftDraft = opener == PartyRole.Customer
            ? draft.Then(Move.Request, PartyRole.Customer, MoveDetails.None)
            : draft.Then(Move.Offer, PartyRole.Performer, Given.PerformersOffer);
        Assert.True(leftDraft.State.IsVisibleTo(other));
    }

    [Fact]
    public void A_draft_withdrawn_unsent_stays_its_openers_alone()
    {
        var withdrawn = Given.Draft().Then(Move.Withdraw, PartyRole.Customer);

        Assert.Equal(WorkflowStatus.Declined, withdrawn.State.Status);
        Assert.False(withdrawn.State.IsVisibleTo(PartyRole.Performer));
        Assert.True(Given.Requested().Then(Move.Withdraw, PartyRole.Customer).State.IsVisibleTo(PartyRole.Performer));
    }

    [Fact]
    public void The_other_party_cannot_move_on_a_draft_not_even_a_note_and_is_told_why()
    {
        var rejection = Then.Refused(Given.Draft().When(Move.Note, PartyRole.Performer), RejectionKind.NotYourMove);

        Assert.Contains("a draft is its opener's alone", rejection.Message, StringComparison.Ordinal);
        Then.Refused(Given.Draft().When(Move.Offer, PartyRole.Performer), RejectionKind.NotYourMove);
    }

    [Fact]
    public void A_workflow_is_proposed_to_the_party_who_did_not_open_it_until_they_make_a_move()
    {
        var requested = Given.Requested();

        Assert.True(requested.State.IsProposedTo(PartyRole.Performer));
        Assert.False(requested.State.IsProposedTo(PartyRole.Customer));
        Assert.False(requested.Then(Move.Promise, PartyRole.Performer).State.IsProposedTo(PartyRole.Performer));
    }

    [Fact]
    public void A_note_from_the_recipient_answers_the_opener_and_ends_proposed_to_you()
    {
        Assert.False(Given.Requested().Then(Move.Note, PartyRole.Performer).State.IsProposedTo(PartyRole.Performer));
    }

    [Fact]
    public void Linking_a_mail_or_being_found_in_the_directory_is_not_a_move_and_leaves_it_proposed()
    {
        var filed = Given.Requested()
            .Then(new LinkItem("thread:reply", ItemKind.Message, null), PartyRole.Performer)
            .Then(new BindParty(PartyRole.Performer, new UserId("tenant", "ben"), "Ben"), PartyRole.Performer);

        Assert.True(filed.State.IsProposedTo(PartyRole.Performer));
    }

    [Fact]
    public void The_openers_own_moves_leave_it_proposed_to_the_other_party()
    {
        var nudged = Given.Requested().Then(Move.Nudge, PartyRole.Customer).Then(Move.Note, PartyRole.Customer);

        Assert.True(nudged.State.IsProposedTo(PartyRole.Performer));
    }

    [Fact]
    public void A_promise_the_customer_recorded_is_proposed_to_the_performer_until_they_answer_it()
    {
        var recorded = Given.OpenedAs(Start.Promised, PartyRole.Customer);

        Assert.True(recorded.State.IsProposedTo(PartyRole.Performer));
        Assert.False(recorded.Then(Move.ReportProgress, PartyRole.Performer).State.IsProposedTo(PartyRole.Performer));
    }
}
