using NSubstitute;
using Workflow.Api.Storage;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// Forgetting a person against Azurite with the follow-ups run by hand (docs/decisions/0016): a move made before they
/// left and told after is mailed to nobody, and the index converges — even when two instances project out of order,
/// a retried deletion leaves the leaver's lists empty and the other party's line as the workflow stands.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class PrivacyStorageTests(Azurite azurite)
{
    private static PersonalData PersonalDataOf(StorageHarness harness)
    {
        var roles = Substitute.For<IRoleStore>();
        roles.ForUserAsync(Arg.Any<UserId>(), Arg.Any<CancellationToken>()).Returns([]);
        return new PersonalData(harness.Index, harness.Store, harness.Workflows, harness.Registry, harness.Meetings, roles,
            new RoleService(roles, harness.Workflows, harness.Store, harness.Directory, harness.Time),
            new TablePersonalRecords(harness.Tables), new FiguresAsPersonalData(new TableFigures(harness.Tables, harness.Store), new TableTeams(harness.Tables)), harness.Time);
    }

    private static async Task<WorkflowState> PromisedAsync(StorageHarness harness)
    {
        var asked = await harness.OpenAsync(start: Start.Requested);
        var promised = await harness.MoveAsync(StorageHarness.AsBob, asked, Move.Promise);
        foreach (var commit in harness.TakeCommits())
        {
            await harness.Dispatcher.DispatchCommitAsync(commit, default);
        }
        return promised;
    }

    [Fact]
    public async Task A_move_told_after_its_recipient_left_is_mailed_to_nobody()
    {
        var harness = new StorageHarness(azurite);
        var promised = await PromisedAsync(harness);
        await harness.Mailer(new RecordingMailSender()).RunAsync(default);
        await harness.MoveAsync(StorageHarness.AsBob, promised, Move.ReportComplete, new MoveDetails { AssessBy = harness.Time.GetUtcNow().AddDays(2) });

        Assert.IsType<Outcome.Done>(await harness.Workflows.ForgetAsync(StorageHarness.Alice, promised.Id, "abc", default));
        var mail = new RecordingMailSender();
        foreach (var commit in harness.TakeCommits())
        {
            await harness.Dispatcher.DispatchCommitAsync(commit, default);
        }
        await harness.Mailer(mail).RunAsync(default);

        Assert.Empty(mail.Sent);
    }

    [Fact]
    public async Task The_index_converges_after_a_retried_deletion_even_when_projections_ran_out_of_order()
    {
        var harness = new StorageHarness(azurite);
        var promised = await PromisedAsync(harness);
        var reported = await harness.MoveAsync(StorageHarness.AsBob, promised, Move.ReportComplete, new MoveDetails { AssessBy = harness.Time.GetUtcNow().AddDays(2) });
        var data = PersonalDataOf(harness);

        Assert.True((await data.ForgetAsync(StorageHarness.AsAlice, default)).Complete);
        // Two instances: the departure projected first, Bob's earlier move after it.
        foreach (var commit in harness.TakeCommits().AsEnumerable().Reverse())
        {
            await harness.Projector.ProjectCommitAsync(commit, default);
        }
        var again = await data.ForgetAsync(StorageHarness.AsAlice, default);

        Assert.True(again.Complete);
        Assert.Equal(0, again.WorkflowsForgotten);
        Assert.Empty((await harness.Index.ListAsync(StorageHarness.Alice, new ListQuery(ListView.All, null, null, null), default)).Items);
        var line = Assert.Single((await harness.Index.ListAsync(StorageHarness.Bob, new ListQuery(ListView.All, null, null, null), default)).Items);
        Assert.Equal((reported.Version + 1, "a former colleague", WorkflowStatus.Reported), (line.Version, line.Counterpart, line.Status));
        Assert.Null(await harness.Registry.FindAsync(StorageHarness.Alice, default));
    }
}
