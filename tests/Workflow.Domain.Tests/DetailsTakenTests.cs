namespace Workflow.Domain.Tests;

/// <summary>
/// What clients are told each move takes (<see cref="WorkflowDecider.DetailsTaken"/>, published in the API's contract)
/// is what <see cref="WorkflowDecider.Decide"/> does: a required detail is refused when missing and enough when given;
/// a move said to need nothing is made with no details at all.
/// </summary>
public sealed class DetailsTakenTests
{
    /// <summary>A state and party where each move is allowed. Repeat takes an id only the server sets.</summary>
    private static readonly Dictionary<Move, (Func<History> State, PartyRole By)> Where = new()
    {
        [Move.Request] = (() => Given.Draft(), PartyRole.Customer),
        [Move.Withdraw] = (Given.Requested, PartyRole.Customer),
        [Move.Promise] = (Given.Requested, PartyRole.Performer),
        [Move.Decline] = (Given.Requested, PartyRole.Performer),
        [Move.CommitToCommit] = (Given.Requested, PartyRole.Performer),
        [Move.Nudge] = (Given.Requested, PartyRole.Customer),
        [Move.Note] = (Given.Requested, PartyRole.Customer),
        [Move.Accept] = (Given.Countered, PartyRole.Customer),
        [Move.ReportComplete] = (Given.Promised, PartyRole.Performer),
        [Move.Renege] = (Given.Promised, PartyRole.Performer),
        [Move.Cancel] = (Given.Promised, PartyRole.Customer),
        [Move.CheckIn] = (Given.Promised, PartyRole.Customer),
        [Move.ReportProgress] = (Given.Promised, PartyRole.Performer),
        [Move.AcceptChange] = (() => Given.Renegotiating(PartyRole.Customer), PartyRole.Performer),
        [Move.RejectChange] = (() => Given.Renegotiating(PartyRole.Customer), PartyRole.Performer),
        [Move.WithdrawChange] = (() => Given.Renegotiating(PartyRole.Customer), PartyRole.Customer),
        [Move.DeclareSatisfied] = (Given.Reported, PartyRole.Customer),
        [Move.DeclareNotSatisfied] = (Given.Reported, PartyRole.Customer),
        [Move.SetCheckIns] = (Given.Promised, PartyRole.Customer),
        [Move.MarkObjective] = (Given.Promised, PartyRole.Customer),
        [Move.ShareWithParent] = (Given.Promised, PartyRole.Customer),
    };

    public static TheoryData<Move> MovesThatRequireDetails =>
        [.. Enum.GetValues<Move>().Where(m => WorkflowDecider.DetailsTaken(m).Requires.Count > 0)];

    public static TheoryData<Move> MovesSaidToNeedNoDetails =>
        [.. Where.Keys.Where(m => WorkflowDecider.DetailsTaken(m).Requires.Count == 0)];

    [Theory]
    [MemberData(nameof(MovesThatRequireDetails))]
    public void A_required_detail_is_refused_when_missing_and_enough_when_given(Move move)
    {
        var (state, by) = Where[move];
        var required = WorkflowDecider.DetailsTaken(move).Requires;
        var only = new MoveDetails
        {
            ReplyBy = required.Contains("replyBy") ? Given.Now.AddDays(3) : null,
            Text = required.Contains("text") ? "What is missing: line 14." : null,
            Objective = required.Contains("objective") ? true : null,
            Shared = required.Contains("shared") ? false : null,
        };

        Then.Refused(state().When(move, by, MoveDetails.None), RejectionKind.InvalidDetails);
        Assert.True(state().When(move, by, only).IsAccepted, $"{move} with only {string.Join(", ", required)}");
    }

    [Theory]
    [MemberData(nameof(MovesSaidToNeedNoDetails))]
    public void A_move_said_to_need_nothing_is_made_with_no_details(Move move)
    {
        var (state, by) = Where[move];

        Assert.True(state().When(move, by, MoveDetails.None).IsAccepted, $"{move} without details");
    }

    [Fact]
    public void Every_move_has_a_place_to_be_tried_unless_its_details_are_the_servers_or_must_change_the_terms_or_are_one_of_several()
    {
        var untried = Enum.GetValues<Move>().Except(Where.Keys);

        // Feedback takes text or an answer, either one: FeedbackTests try both, and neither.
        Assert.Equal([Move.Offer, Move.Counter, Move.ProposeChange, Move.Repeat, Move.GiveFeedback], untried);
    }
}
