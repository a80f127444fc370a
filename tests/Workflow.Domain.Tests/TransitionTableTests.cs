namespace Workflow.Domain.Tests;

/// <summary>
/// The whole table, every state × move × party, allowed and refused, checked against <see cref="ModelTable"/>
/// (the model restated by hand) on workflows reached through real moves.
/// </summary>
public sealed class TransitionTableTests
{
    public static TheoryData<string, Move, PartyRole> AllowedCombinations() => Combinations(allowed: true);

    public static TheoryData<string, Move, PartyRole> RefusedCombinations() => Combinations(allowed: false);

    public static TheoryData<string, PartyRole> EverySituationAndParty()
    {
        var data = new TheoryData<string, PartyRole>();
        foreach (var situation in Situation.All)
        {
            foreach (var role in Enum.GetValues<PartyRole>())
            {
                data.Add(situation.Name, role);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedCombinations))]
    public void A_move_the_model_allows_is_accepted_with_its_event_and_leads_where_the_model_says(
        string situationName, Move move, PartyRole by)
    {
        var situation = Situation.Named(situationName);
        var given = situation.Build();
        Assert.Equal(situation.Status, given.State.Status);
        var expected = ModelTable.Allowed(situation, move, by)!;

        var decision = given.When(move, by);

        Assert.True(decision.IsAccepted, decision.Rejection?.Message);
        var e = Assert.Single(decision.Events);
        Assert.Equal(expected.Event, e.GetType());
        Assert.Equal(by, e.By);
        Assert.Equal(Given.Now, e.At);
        Assert.Equal(expected.To, WorkflowDecider.Evolve(given.State, e).Status);
    }

    [Theory]
    [MemberData(nameof(RefusedCombinations))]
    public void A_move_the_model_does_not_allow_is_refused_naming_the_move_the_state_and_the_party(
        string situationName, Move move, PartyRole by)
    {
        var situation = Situation.Named(situationName);
        var given = situation.Build();
        Assert.Equal(situation.Status, given.State.Status);
        var moveExistsInState = ModelTable.Find(situation.Status, move) is not null;

        var decision = given.When(move, by);

        var rejection = Then.Refused(
            decision, moveExistsInState ? RejectionKind.NotYourMove : RejectionKind.NotAllowedInState);
        Assert.Contains($"'{CamelCase(move)}'", rejection.Message, StringComparison.Ordinal);
        Assert.Contains($"'{CamelCase(situation.Status)}'", rejection.Message, StringComparison.Ordinal);
        Assert.Contains(by == PartyRole.Customer ? "customer" : "performer", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EverySituationAndParty))]
    public void Available_moves_are_exactly_the_moves_the_model_allows_the_party(string situationName, PartyRole role)
    {
        var situation = Situation.Named(situationName);

        var available = TransitionTable.AvailableMoves(situation.Build().State, role, Given.Now);

        Assert.Equal(ModelTable.AllowedMoves(situation, role).Order(), available.Order());
        Assert.Equal(available.Count, available.Distinct().Count());
    }

    [Fact]
    public void The_situations_reach_every_state_and_the_combinations_cover_every_move_and_party()
    {
        Assert.Equal(Enum.GetValues<WorkflowStatus>().Order(), Situation.All.Select(s => s.Status).Distinct().Order());
        Assert.Equal(
            Situation.All.Count * Enum.GetValues<Move>().Length * Enum.GetValues<PartyRole>().Length,
            AllowedCombinations().Count + RefusedCombinations().Count);
    }

    [Fact]
    public void Every_row_of_the_model_is_allowed_to_someone_in_some_situation()
    {
        foreach (var row in ModelTable.Rows)
        {
            Assert.Contains(Situation.All, s => s.Status == row.From
                && Enum.GetValues<PartyRole>().Any(role => ModelTable.Allows(row, s, role)));
        }
    }

    [Fact]
    public void Promising_a_countered_request_is_refused()
    {
        var decision = Given.Countered().When(Move.Promise, PartyRole.Performer);

        var rejection = Then.Refused(decision, RejectionKind.NotAllowedInState);
        Assert.Contains("'promise'", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("'countered'", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("performer", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Committing_to_commit_is_the_performers_move_and_the_refusal_names_it_in_camel_case()
    {
        var rejection = Then.Refused(Given.Requested().When(Move.CommitToCommit, PartyRole.Customer), RejectionKind.NotYourMove);

        Assert.Contains("'commitToCommit'", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("'requested'", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("customer", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_proposer_of_a_change_cannot_accept_it()
    {
        var rejection = Then.Refused(
            Given.Renegotiating(PartyRole.Performer).When(Move.AcceptChange, PartyRole.Performer), RejectionKind.NotYourMove);

        Assert.Contains("'acceptChange'", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("'renegotiating'", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_opener_withdraws_a_draft()
    {
        Then.Refused(Given.Draft(PartyRole.Performer).When(Move.Withdraw, PartyRole.Customer), RejectionKind.NotYourMove);
        Then.Accepted<Withdrawn>(Given.Draft(PartyRole.Performer).When(Move.Withdraw, PartyRole.Performer));
    }

    private static TheoryData<string, Move, PartyRole> Combinations(bool allowed)
    {
        var data = new TheoryData<string, Move, PartyRole>();
        foreach (var situation in Situation.All)
        {
            foreach (var move in Enum.GetValues<Move>())
            {
                foreach (var role in Enum.GetValues<PartyRole>())
                {
                    if (ModelTable.Allowed(situation, move, role) is not null == allowed)
                    {
                        data.Add(situation.Name, move, role);
                    }
                }
            }
        }
        return data;
    }

    /// <summary>The API's spelling of an enum value, written here rather than borrowed from the decider.</summary>
    private static string CamelCase<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        return string.Concat(name[..1].ToLowerInvariant(), name[1..]);
    }
}
