using Workflow.Application;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// The other side of a child, told by mail: the customer asked for the dual learns what it is for, feedback reaches the
/// other party in words, and closing a promise with its children tells each child's performer why.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class DepthMailTests(Azurite azurite)
{
    private static async Task<WorkflowState> PromisedAsync(StorageHarness harness)
    {
        var asked = await harness.OpenAsync(start: Start.Requested);
        return await harness.MoveAsync(StorageHarness.AsBob, asked, Move.Promise);
    }

    private static async Task<RecordingMailSender> MailAllAsync(StorageHarness harness, RecordingMailSender? mail = null)
    {
        mail ??= new RecordingMailSender();
        foreach (var commit in harness.TakeCommits())
        {
            await harness.Dispatcher.DispatchCommitAsync(commit, default);
        }
        await harness.Mailer(mail).RunAsync(default);
        return mail;
    }

    [Fact]
    public async Task The_customer_asked_for_the_dual_is_told_what_the_performer_needs_and_for_which_promise()
    {
        var harness = new StorageHarness(azurite);
        var promised = await PromisedAsync(harness);
        await MailAllAsync(harness);

        var dual = await harness.Workflows.OpenChildAsync(StorageHarness.AsBob, promised.Id, ChildRelation.Dual,
            new OpenRequest("Access to the ledger", OpenRequest.Me, "", "Read access for Bob", harness.Time.GetUtcNow().AddDays(2), null, Start.Requested),
            null, "hash", default);
        Assert.IsType<Outcome.Done>(dual);
        var mail = await MailAllAsync(harness);

        var toAlice = Assert.Single(mail.Sent, m => m.ToEmail == "alice@contoso.test");
        Assert.Contains("Bob Baker asked you: Read access for Bob", toAlice.Text, StringComparison.Ordinal);
        Assert.Contains("This is what Bob Baker needs from you to keep their promise to you: Review the budget", toAlice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_reaches_the_other_party_in_words()
    {
        var harness = new StorageHarness(azurite);
        var promised = await PromisedAsync(harness);
        var reported = await harness.MoveAsync(StorageHarness.AsBob, promised, Move.ReportComplete);
        var satisfied = await harness.MoveAsync(StorageHarness.AsAlice, reported, Move.DeclareSatisfied);
        await MailAllAsync(harness);

        await harness.MoveAsync(StorageHarness.AsBob, satisfied, Move.GiveFeedback,
            new MoveDetails { Answers = new FeedbackAnswers(ConcernClear: Answer.Yes, CheckInsHelped: Answer.No), Text = "Ask earlier next time." });
        var mail = await MailAllAsync(harness);

        var toAlice = Assert.Single(mail.Sent, m => m.ToEmail == "alice@contoso.test");
        Assert.Contains("Bob Baker gave feedback: concern clear: yes; check-ins helped: no.", toAlice.Text, StringComparison.Ordinal);
        Assert.Contains("Ask earlier next time.", toAlice.Text, StringComparison.Ordinal);
    }
}
