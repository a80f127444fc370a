using Workflow.Domain;

namespace Workflow.Domain.Tests;

/// <summary>Who is told of what: the other party of every move they must know of; nobody of a draft or of bookkeeping.</summary>
public sealed class NotificationRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static WorkflowState Draft() => WorkflowDecider.Evolve(null, new WorkflowOpened(
        "0123456789abcdef0123456789abcdef", "Q3 figures",
        new Party("alice@contoso.test", "Alice", new UserId("t", "a")),
        new Party("bob@contoso.test", "Bob", new UserId("t", "b")),
        new Terms(1, "The figures", Now.AddDays(5), PartyRole.Customer, Now), null) { By = PartyRole.Customer, At = Now });

    private static (WorkflowState After, PartyRole? Told) Make(WorkflowState state, Move move, PartyRole by, MoveDetails? details = null)
    {
        var decision = WorkflowDecider.Decide(state, new MakeMove(move, details ?? MoveDetails.None), by, Now);
        Assert.True(decision.IsAccepted, decision.Rejection?.Message);
        var e = Assert.Single(decision.Events);
        var after = WorkflowDecider.Evolve(state, e);
        return (after, Notifications.RecipientOf(state, e, after));
    }

    [Fact]
    public void Nothing_said_in_a_draft_nor_its_withdrawal_reaches_the_other_party()
    {
        Assert.Null(Make(Draft(), Move.Note, PartyRole.Customer, new MoveDetails { Text = "thinking" }).Told);
        Assert.Null(Make(Draft(), Move.Withdraw, PartyRole.Customer).Told);
    }

    [Fact]
    public void A_note_on_a_draft_withdrawn_unsent_tells_nobody()
    {
        var (withdrawn, _) = Make(Draft(), Move.Withdraw, PartyRole.Customer);

        Assert.Null(Make(withdrawn, Move.Note, PartyRole.Customer, new MoveDetails { Text = "lowball him" }).Told);
    }

    [Fact]
    public void Each_move_of_a_whole_loop_tells_the_other_party()
    {
        var (asked, told) = Make(Draft(), Move.Request, PartyRole.Customer);
        Assert.Equal(PartyRole.Performer, told);
        var (promised, toldOfPromise) = Make(asked, Move.Promise, PartyRole.Performer);
        Assert.Equal(PartyRole.Customer, toldOfPromise);
        Assert.Equal(PartyRole.Performer, Make(promised, Move.CheckIn, PartyRole.Customer).Told);
        Assert.Equal(PartyRole.Customer, Make(promised, Move.ReportProgress, PartyRole.Performer).Told);
        Assert.Equal(PartyRole.Performer, Make(promised, Move.ProposeChange, PartyRole.Customer, new MoveDetails { DueBy = Now.AddDays(9) }).Told);
        var (reported, toldOfDone) = Make(promised, Move.ReportComplete, PartyRole.Performer);
        Assert.Equal(PartyRole.Customer, toldOfDone);
        Assert.Equal(PartyRole.Performer, Make(reported, Move.DeclareNotSatisfied, PartyRole.Customer, new MoveDetails { Text = "page 3" }).Told);
        Assert.Equal(PartyRole.Performer, Make(reported, Move.DeclareSatisfied, PartyRole.Customer).Told);
        Assert.Equal(PartyRole.Customer, Make(promised, Move.Renege, PartyRole.Performer).Told);
        Assert.Equal(PartyRole.Performer, Make(promised, Move.Cancel, PartyRole.Customer).Told);
        Assert.Equal(PartyRole.Customer, Make(asked, Move.Decline, PartyRole.Performer).Told);
        Assert.Equal(PartyRole.Performer, Make(asked, Move.Withdraw, PartyRole.Customer).Told);
    }

    [Fact]
    public void Links_and_revoking_a_personal_link_tell_nobody()
    {
        var (asked, _) = Make(Draft(), Move.Request, PartyRole.Customer);
        var link = WorkflowDecider.Decide(asked, new LinkItem("thread:x", ItemKind.Message, "s"), PartyRole.Performer, Now).Events[0];
        var revoke = WorkflowDecider.Decide(asked, new RevokeGuestLinks(PartyRole.Performer), PartyRole.Customer, Now).Events[0];

        Assert.Null(Notifications.RecipientOf(asked, link, WorkflowDecider.Evolve(asked, link)));
        Assert.Null(Notifications.RecipientOf(asked, revoke, WorkflowDecider.Evolve(asked, revoke)));
    }

    [Fact]
    public void Only_the_other_party_revokes_a_partys_links()
    {
        var (asked, _) = Make(Draft(), Move.Request, PartyRole.Customer);

        Assert.False(WorkflowDecider.Decide(asked, new RevokeGuestLinks(PartyRole.Performer), PartyRole.Performer, Now).IsAccepted);
        var revoked = WorkflowDecider.Evolve(asked, WorkflowDecider.Decide(asked, new RevokeGuestLinks(PartyRole.Performer), PartyRole.Customer, Now).Events[0]);
        Assert.Equal(Now, revoked.GuestLinksRevokedAt(PartyRole.Performer));
        Assert.Null(revoked.GuestLinksRevokedAt(PartyRole.Customer));
    }
}
