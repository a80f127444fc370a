namespace Workflow.Domain.Tests;

/// <summary>Whose move, quadrants, notes, repeat, links, binding parties and opening.</summary>
public sealed class WorkflowTests
{
    [Theory]
    [InlineData("draft opened by the customer", PartyRole.Customer, Quadrant.Q1)]
    [InlineData("draft opened by the performer", PartyRole.Performer, Quadrant.Q1)]
    [InlineData("requested", PartyRole.Performer, Quadrant.Q2)]
    [InlineData("countered by the performer", PartyRole.Customer, Quadrant.Q2)]
    [InlineData("offered by the performer", PartyRole.Customer, Quadrant.Q2)]
    [InlineData("promised", PartyRole.Performer, Quadrant.Q3)]
    [InlineData("renegotiating a change the customer proposed", PartyRole.Performer, Quadrant.Q2)]
    [InlineData("renegotiating a change the performer proposed", PartyRole.Customer, Quadrant.Q2)]
    [InlineData("reported", PartyRole.Customer, Quadrant.Q4)]
    [InlineData("satisfied", null, Quadrant.Closed)]
    [InlineData("reneged", null, Quadrant.Closed)]
    [InlineData("declined", null, Quadrant.Closed)]
    [InlineData("cancelled", null, Quadrant.Closed)]
    public void Each_state_says_whose_move_it_is_and_which_quadrant_it_is_in(
        string situationName, PartyRole? whoseMove, Quadrant quadrant)
    {
        var state = Situation.Named(situationName).Build().State;

        Assert.Equal(whoseMove, state.WhoseMove);
        Assert.Equal(quadrant, state.Quadrant);
        Assert.Equal(quadrant == Quadrant.Closed, state.IsClosed);
    }

    public static TheoryData<string, PartyRole> EverySituationAndParty() => TransitionTableTests.EverySituationAndParty();

    [Theory]
    [MemberData(nameof(EverySituationAndParty))]
    public void A_note_never_changes_the_state(string situationName, PartyRole by)
    {
        var before = Situation.Named(situationName).Build().State;
        var note = new MakeMove(Move.Note, new MoveDetails { Text = " Called Ben. " });
        if (!before.IsVisibleTo(by))
        {
            // A draft is its opener's alone: the other party has nothing to note on.
            Then.Refused(WorkflowDecider.Decide(before, note, by, Given.Now.AddHours(1)), RejectionKind.NotYourMove);
            return;
        }

        var e = Then.Accepted<NoteAdded>(WorkflowDecider.Decide(before, note, by, Given.Now.AddHours(1)));
        var after = WorkflowDecider.Evolve(before, e);

        Assert.Equal("Called Ben.", e.Text);
        // Only the recipient's first note changes anything: it answers the opener, so it is no longer "proposed to you".
        Assert.Equal(before with
        {
            Version = before.Version + 1,
            UpdatedAt = Given.Now.AddHours(1),
            RecipientYetToMove = before.RecipientYetToMove && by == before.OpenedBy,
        }, after);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void A_note_without_text_is_refused(string? text)
    {
        Then.Refused(Given.Promised().When(Move.Note, PartyRole.Customer, new MoveDetails { Text = text }), RejectionKind.InvalidDetails);
    }

    [Fact]
    public void Repeating_a_closed_workflow_records_the_new_cycle()
    {
        var given = Given.Satisfied();

        var e = Then.Accepted<Repeated>(given.When(Move.Repeat, PartyRole.Performer, new MoveDetails { NewWorkflowId = "wf-9" }));
        var state = WorkflowDecider.Evolve(given.State, e);

        Assert.Equal("wf-9", e.NewWorkflowId);
        Assert.Equal("wf-9", state.RepeatedAs);
        Assert.Equal(WorkflowStatus.Satisfied, state.Status);
    }

    [Fact]
    public void Repeating_a_workflow_a_second_time_is_refused_and_no_longer_offered()
    {
        var repeated = Given.Cancelled().Then(Move.Repeat, PartyRole.Customer);

        var rejection = Then.Refused(repeated.When(Move.Repeat, PartyRole.Performer), RejectionKind.NotAllowedInState);

        Assert.Contains("'repeat'", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("'cancelled'", rejection.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Move.Repeat, TransitionTable.AvailableMoves(repeated.State, PartyRole.Customer, Given.Now));
        Assert.DoesNotContain(Move.Repeat, TransitionTable.AvailableMoves(repeated.State, PartyRole.Performer, Given.Now));
    }

    [Fact]
    public void Repeating_without_the_new_workflows_id_is_refused()
    {
        Then.Refused(Given.Reneged().When(Move.Repeat, PartyRole.Customer, MoveDetails.None), RejectionKind.InvalidDetails);
    }

    [Fact]
    public void Opening_a_repeat_remembers_the_workflow_it_repeats()
    {
        var state = History.Open(Given.Opening() with { Id = "wf-2", RepeatOf = Given.WorkflowId }).State;

        Assert.Equal(Given.WorkflowId, state.RepeatOf);
        Assert.Equal(WorkflowStatus.Draft, state.Status);
    }

    [Fact]
    public void Linking_an_item_records_who_linked_it_and_when()
    {
        var linked = Given.Promised().Then(new LinkItem("thread-1", ItemKind.Message, "Migration"), PartyRole.Performer);

        Assert.Equal(
            new ItemLink("thread-1", ItemKind.Message, "Migration", PartyRole.Performer, Given.Now),
            Assert.Single(linked.State.Links));
        Assert.Equal(WorkflowStatus.Promised, linked.State.Status);
    }

    [Fact]
    public void Linking_an_item_twice_links_it_once()
    {
        var linked = Given.Promised().Then(new LinkItem("thread-1", ItemKind.Message, "Migration"), PartyRole.Performer);

        Then.NothingToRecord(linked.When(new LinkItem("thread-1", ItemKind.Message, "Migration"), PartyRole.Customer));
    }

    [Fact]
    public void Unlinking_removes_the_item_and_unlinking_again_records_nothing()
    {
        var linked = Given.Promised()
            .Then(new LinkItem("thread-1", ItemKind.Message, null), PartyRole.Customer)
            .Then(new LinkItem("meeting-1", ItemKind.Event, "Weekly"), PartyRole.Customer);

        var unlinked = linked.Then(new UnlinkItem("thread-1"), PartyRole.Performer);

        Assert.Equal("meeting-1", Assert.Single(unlinked.State.Links).Key);
        Then.NothingToRecord(unlinked.When(new UnlinkItem("thread-1"), PartyRole.Performer));
    }

    [Fact]
    public void A_workflow_links_at_most_the_maximum_number_of_items()
    {
        var full = Given.Draft();
        for (var i = 0; i < WorkflowState.MaxLinks; i++)
        {
            full = full.Then(new LinkItem($"item-{i}", ItemKind.Message, null), PartyRole.Customer);
        }

        Assert.Equal(WorkflowState.MaxLinks, full.State.Links.Count);
        Then.Refused(full.When(new LinkItem("one-too-many", ItemKind.Event, null), PartyRole.Customer), RejectionKind.InvalidDetails);
        Then.NothingToRecord(full.When(new LinkItem("item-0", ItemKind.Message, null), PartyRole.Customer));
        Then.Accepted<ItemLinked>(
            full.Then(new UnlinkItem("item-0"), PartyRole.Customer).When(new LinkItem("one-more", ItemKind.Event, null), PartyRole.Customer));
    }

    [Fact]
    public void Binding_a_pending_party_makes_them_a_known_user()
    {
        var user = new UserId("tenant", "ben");

        var e = Then.Accepted<PartyBound>(Given.Requested().When(new BindParty(PartyRole.Performer, user, "Ben Smith"), PartyRole.Performer));
        var state = WorkflowDecider.Evolve(Given.Requested().State, e);

        Assert.Equal(new Party("ben@contoso.com", "Ben Smith", user), state.Performer);
        Assert.Equal(PartyRole.Performer, state.RoleOf(user));
        Assert.Equal(PartyRole.Customer, state.RoleOf(Given.Customer.User!));
        Assert.Null(state.RoleOf(new UserId("tenant", "someone-else")));
    }

    [Fact]
    public void A_party_bound_under_another_address_keeps_the_one_typed_beside_the_one_found()
    {
        var user = new UserId("tenant", "ben");

        var byAlias = Given.Requested().Then(new BindParty(PartyRole.Performer, user, "Benjamin Smith", "benjamin.smith@contoso.com"), PartyRole.Performer);
        var asTyped = Given.Requested().Then(new BindParty(PartyRole.Performer, user, "Ben Smith", "BEN@contoso.com"), PartyRole.Performer);

        Assert.Equal(new Party("benjamin.smith@contoso.com", "Benjamin Smith", user, InvitedAs: "ben@contoso.com"), byAlias.State.Performer);
        Assert.Equal(new Party("BEN@contoso.com", "Ben Smith", user), asTyped.State.Performer);
    }

    [Fact]
    public void A_party_is_bound_once()
    {
        var bound = Given.Requested().Then(new BindParty(PartyRole.Performer, new UserId("tenant", "ben"), null), PartyRole.Performer);

        Assert.Equal("Ben", bound.State.Performer.DisplayName);
        Then.NothingToRecord(bound.When(new BindParty(PartyRole.Performer, new UserId("tenant", "mallory"), null), PartyRole.Performer));
        Then.NothingToRecord(bound.When(new BindParty(PartyRole.Customer, new UserId("tenant", "mallory"), null), PartyRole.Customer));
    }

    [Fact]
    public void Binding_a_pending_party_to_the_other_party_is_refused()
    {
        var decision = Given.Requested().When(new BindParty(PartyRole.Performer, Given.Customer.User!, null), PartyRole.Customer);

        Then.Refused(decision, RejectionKind.InvalidDetails);
    }

    [Fact]
    public void Opening_starts_a_draft_in_Q1_with_no_clock_running()
    {
        var state = Given.Draft().State;

        Assert.Equal(Given.WorkflowId, state.Id);
        Assert.Equal(1, state.Version);
        Assert.Equal(Given.Concern, state.Concern);
        Assert.Equal(PartyRole.Customer, state.OpenedBy);
        Assert.Equal(WorkflowStatus.Draft, state.Status);
        Assert.Equal(Clocks.None, state.Clocks);
        Assert.Equal(Given.Now, state.OpenedAt);
        Assert.Empty(state.Links);
    }

    [Fact]
    public void Opening_with_the_same_person_as_customer_and_performer_is_refused()
    {
        var sameEmail = Given.Opening() with { Performer = new Party("ANA@contoso.com", null, null) };
        var sameUser = Given.Opening() with { Performer = new Party("ana.other@contoso.com", null, Given.Customer.User) };

        Then.Refused(WorkflowDecider.Open(sameEmail, Given.Now), RejectionKind.InvalidDetails);
        Then.Refused(WorkflowDecider.Open(sameUser, Given.Now), RejectionKind.InvalidDetails);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Opening_without_a_concern_is_refused(string concern)
    {
        Then.Refused(WorkflowDecider.Open(Given.Opening() with { Concern = concern }, Given.Now), RejectionKind.InvalidDetails);
    }

    [Fact]
    public void Opening_with_a_concern_longer_than_the_limit_is_refused_and_the_limit_itself_is_fine()
    {
        var tooLong = new string('c', WorkflowDecider.MaxConcernLength + 1);
        var longest = new string('c', WorkflowDecider.MaxConcernLength);

        Then.Refused(WorkflowDecider.Open(Given.Opening() with { Concern = tooLong }, Given.Now), RejectionKind.InvalidDetails);
        Then.Accepted<WorkflowOpened>(WorkflowDecider.Open(Given.Opening() with { Concern = longest }, Given.Now));
    }

    [Fact]
    public void Opening_trims_the_concern_and_stamps_the_opener()
    {
        var e = Then.Accepted<WorkflowOpened>(
            WorkflowDecider.Open(Given.Opening(PartyRole.Performer) with { Concern = "  Close the books  " }, Given.Now));

        Assert.Equal("Close the books", e.Concern);
        Assert.Equal(PartyRole.Performer, e.By);
        Assert.Equal(Given.Now, e.At);
    }
}
