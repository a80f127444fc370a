namespace Workflow.Domain.Tests;

/// <summary>
/// A party who has the product forget them becomes a tombstone in every workflow they shared (docs/decisions/0016):
/// "a former colleague" to the other party, who keeps their moves; never bound, mailed or linked again; and the
/// history, whose events keep their roles, names them as they stand now.
/// </summary>
public sealed class ForgettingTests
{
    private static readonly UserId Ana = Given.Customer.User!;
    private static readonly UserId Ben = new("tenant", "ben");

    /// <summary>Ana asked Ben, who was found in the directory and promised.</summary>
    private static History PromisedBetweenUsers() =>
        Given.Requested()
            .Then(new BindParty(PartyRole.Performer, Ben, "Ben Smith", "ben@contoso.com"), PartyRole.Customer)
            .Then(Move.Promise, PartyRole.Performer);

    [Fact]
    public void Forgetting_replaces_the_party_with_a_tombstone_that_is_nobody()
    {
        var e = Then.Accepted<PartyForgotten>(PromisedBetweenUsers().When(new ForgetParty("abc123"), PartyRole.Customer));
        var state = PromisedBetweenUsers().Then(new ForgetParty("abc123"), PartyRole.Customer).State;

        Assert.Equal(PartyRole.Customer, e.Role);
        Assert.Equal(PartyRole.Customer, e.By);
        Assert.Equal("a former colleague", state.Customer.Shown());
        Assert.Null(state.Customer.User);
        Assert.True(state.Customer.IsFormer);
        Assert.False(state.Customer.IsPending);
        Assert.EndsWith("@former-colleague.invalid", state.Customer.Email);
        Assert.DoesNotContain("ana", state.Customer.Email);
        Assert.Null(state.RoleOf(Ana));
        Assert.Equal(PartyRole.Performer, state.RoleOf(Ben));
    }

    [Fact]
    public void The_workflow_stays_where_it_stands_and_the_other_party_keeps_their_moves()
    {
        var forgotten = PromisedBetweenUsers().Then(new ForgetParty("abc123"), PartyRole.Customer);

        Assert.Equal(WorkflowStatus.Promised, forgotten.State.Status);
        Then.Accepted<Reneged>(forgotten.When(Move.Renege, PartyRole.Performer));
        Then.Accepted<NoteAdded>(forgotten.When(Move.Note, PartyRole.Performer));
    }

    [Fact]
    public void Forgetting_twice_decides_nothing()
    {
        var forgotten = PromisedBetweenUsers().Then(new ForgetParty("abc123"), PartyRole.Customer);

        Then.NothingToRecord(forgotten.When(new ForgetParty("abc123"), PartyRole.Customer));
    }

    [Fact]
    public void A_tombstone_is_never_bound()
    {
        var forgotten = Given.Requested().Then(new ForgetParty("abc123"), PartyRole.Customer);

        Then.NothingToRecord(forgotten.When(new BindParty(PartyRole.Customer, Ana, "Ana", "ana@contoso.com"), PartyRole.Performer));
    }

    [Fact]
    public void Nobody_is_told_of_a_departure_and_a_former_colleague_is_told_nothing_after_it()
    {
        var before = PromisedBetweenUsers().State;
        var forget = Then.Accepted<PartyForgotten>(PromisedBetweenUsers().When(new ForgetParty("abc123"), PartyRole.Customer));
        var after = WorkflowDecider.Evolve(before, forget);
        var note = Then.Accepted<NoteAdded>(PromisedBetweenUsers().Then(new ForgetParty("abc123"), PartyRole.Customer).When(Move.Note, PartyRole.Performer));

        Assert.Null(Notifications.RecipientOf(before, forget, after));
        Assert.Null(Notifications.RecipientOf(after, note, WorkflowDecider.Evolve(after, note)));
    }

    [Fact]
    public void The_history_keeps_its_roles_and_shows_the_tombstone_where_the_forgotten_party_was_named()
    {
        var forgotten = PromisedBetweenUsers().Then(new ForgetParty("abc123"), PartyRole.Performer);
        var state = forgotten.State;

        var shown = forgotten.Events.Select(e => Forgetting.Shown(state, e)).ToList();

        Assert.Equal(forgotten.Events.Select(e => e.By), shown.Select(e => e.By));
        var opened = Assert.IsType<WorkflowOpened>(shown[0]);
        Assert.Equal(state.Performer, opened.Performer);
        Assert.Equal(Given.Customer, opened.Customer);
        var bound = Assert.Single(shown.OfType<PartyBound>());
        Assert.Equal("a former colleague", bound.DisplayName);
        Assert.DoesNotContain(shown, e => e.ToString().Contains("ben@contoso.com", StringComparison.Ordinal) || e.ToString().Contains("Ben Smith", StringComparison.Ordinal));
    }

    [Fact]
    public void A_history_with_nobody_forgotten_is_shown_as_stored()
    {
        var history = PromisedBetweenUsers();

        Assert.Equal(history.Events, history.Events.Select(e => Forgetting.Shown(history.State, e)));
    }
}
