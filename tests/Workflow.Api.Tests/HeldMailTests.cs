using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Workflow.Application;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// A move's mail held by the instance that committed the move (docs/decisions/0017), against Azurite: five storage
/// requests in all, and still exactly once per notice when the instance dies before the send, after it, or the send
/// fails — the sweep takes over only after the commit's lease, and asks whether the mail went first.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class HeldMailTests(Azurite azurite)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>What a request's commit owes, left in the outbox while its mail is held.</summary>
    private static readonly string[] RequestsRows = ["notify", "projectFigures", "projectIndex"];

    /// <summary>Alice asks Bob; the commit is dispatched by the instance that made it, as its worker does.</summary>
    private static async Task<WorkflowState> AskedAndDispatchedAsync(StorageHarness harness)
    {
        var opened = await harness.OpenAsync();
        var asked = await harness.MoveAsync(StorageHarness.AsAlice, opened, Move.Request);
        await harness.DispatchCommitsAsync();
        return asked;
    }

    [Fact]
    public async Task A_move_in_all_is_its_two_requests_its_two_list_lines_and_one_cross_off_when_its_mail_went()
    {
        var counter = new StorageRequestCounter();
        var harness = new StorageHarness(azurite, holding: true, counter);
        // The first move towards Bob also enters him in the registry and reads his preferences (kept a minute).
        await AskedAndDispatchedAsync(harness);
        var opened = await harness.OpenAsync();
        await harness.Dispatcher.DispatchCommitAsync(harness.TakeCommits().Single(), default);

        using (var path = counter.Measure())
        {
            await harness.MoveAsync(StorageHarness.AsAlice, opened, Move.Request);
            Assert.Equal(["GET workflows", "POST $batch"], path.Requests.Select(harness.TableRequest));
        }
        using (var followUps = counter.Measure())
        {
            await harness.Dispatcher.DispatchCommitAsync(harness.TakeCommits().Single(), default);
            // Alice's line and Bob's; no notice written anywhere, and the outbox rows wait for the mail.
            Assert.Equal(["PUT people", "POST people"], followUps.Requests.Select(harness.TableRequest));
        }
        Assert.Equal(RequestsRows, (await harness.PendingFollowUpsAsync(opened.Id)).Order());

        harness.Time.Advance(Window);
        using (var mail = counter.Measure())
        {
            Assert.Equal(2, (await harness.Mailer().SendHeldAsync(default)).Sent);
            // One request per mail: its commit crossed off, which is also its mark.
            Assert.Equal(["POST $batch", "POST $batch"], mail.Requests.Select(harness.TableRequest));
        }
        Assert.Equal(2, harness.Mail.CountFor("bob@contoso.test"));
        Assert.Contains(harness.Mail.Sent, m => m.Text!.Contains($"workflow={opened.Id}&move=promise", StringComparison.Ordinal));
        Assert.Empty(await harness.PendingFollowUpsAsync(opened.Id));
        Assert.Empty(await BoxRowsAsync(harness));
    }

    [Fact]
    public async Task The_sweep_leaves_a_leased_commit_to_the_instance_that_made_it_until_its_lease_ends()
    {
        var harness = new StorageHarness(azurite, holding: true);
        var asked = await AskedAndDispatchedAsync(harness);

        Assert.Equal(0, await harness.Dispatcher.SweepAsync(default));
        Assert.False(await harness.Dispatcher.DispatchAsync(asked.Id, default));

        Assert.Equal(RequestsRows, (await harness.PendingFollowUpsAsync(asked.Id)).Order());
        Assert.Empty(await BoxRowsAsync(harness));
        harness.Time.Advance(Window);
        await harness.Mailer().RunAsync(default);
        Assert.Equal(1, harness.Mail.CountFor("bob@contoso.test"));
        Assert.Empty(await harness.PendingFollowUpsAsync(asked.Id));
    }

    [Fact]
    public async Task A_held_mail_lost_with_its_instance_is_mailed_once_by_the_sweep_after_the_lease()
    {
        var harness = new StorageHarness(azurite, holding: true);
        var asked = await AskedAndDispatchedAsync(harness);
        harness.Held.TakeAll(harness.Time.GetUtcNow()); // The instance died with the mail in memory.

        harness.Time.Advance(harness.NotificationOptions.HoldLease - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await harness.Dispatcher.SweepAsync(default));
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await TheSweepTakesOverAndBobHasOneMailAsync(harness, asked.Id);
    }

    [Fact]
    public async Task A_held_mail_that_went_before_its_instance_died_is_not_sent_again_by_the_sweep()
    {
        var harness = new StorageHarness(azurite, holding: true);
        var asked = await AskedAndDispatchedAsync(harness);
        var dies = Substitute.For<IOutbox>();
        dies.DoneAsync(default!, default!, default).ThrowsAsyncForAnyArgs(new IOException("Injected: the process died after the mail left."));

        harness.Time.Advance(Window);
        Assert.Equal(1, (await harness.Mailer(outbox: dies).SendHeldAsync(default)).Sent);
        Assert.Equal(RequestsRows, (await harness.PendingFollowUpsAsync(asked.Id)).Order());

        harness.Time.Advance(harness.NotificationOptions.HoldLease);
        await TheSweepTakesOverAndBobHasOneMailAsync(harness, asked.Id);
        Assert.Empty(await BoxRowsAsync(harness));
    }

    [Fact]
    public async Task A_held_mail_that_fails_is_mailed_once_through_the_box_after_the_lease()
    {
        var harness = new StorageHarness(azurite, holding: true);
        var asked = await AskedAndDispatchedAsync(harness);
        harness.Mail.FailFor("bob@contoso.test", 1);

        harness.Time.Advance(Window);
        Assert.Equal(1, (await harness.Mailer().RunAsync(default)).Failed);
        Assert.Equal(0, await harness.Dispatcher.SweepAsync(default));
        harness.Time.Advance(harness.NotificationOptions.HoldLease);
        await TheSweepTakesOverAndBobHasOneMailAsync(harness, asked.Id);
    }

    [Fact]
    public async Task A_held_mail_found_too_close_to_the_end_of_its_lease_is_left_to_the_sweep()
    {
        var harness = new StorageHarness(azurite, holding: true);
        var asked = await AskedAndDispatchedAsync(harness);

        // The instance was stalled: by now a sweep on a clock a little ahead could take the commit over.
        harness.Time.Advance(harness.NotificationOptions.HoldLease - HeldMails.SendTimeout);
        Assert.Equal(0, (await harness.Mailer().SendHeldAsync(default)).Sent);
        harness.Time.Advance(HeldMails.SendTimeout);
        await TheSweepTakesOverAndBobHasOneMailAsync(harness, asked.Id);
    }

    [Fact]
    public async Task Two_moves_towards_one_person_before_the_first_mail_went_become_one_mail_through_the_box()
    {
        var harness = new StorageHarness(azurite, holding: true);
        var asked = await AskedAndDispatchedAsync(harness);
        harness.Time.Advance(TimeSpan.FromSeconds(20));
        await harness.MoveAsync(StorageHarness.AsAlice, asked, Move.Note, new MoveDetails { Text = "The board meets on the 14th." });
        await harness.Dispatcher.DispatchCommitAsync(harness.TakeCommits().Single(), default);

        Assert.Equal(0, harness.Held.Count);
        Assert.Empty(await harness.PendingFollowUpsAsync(asked.Id)); // Both commits crossed off, in one request.
        harness.Time.Advance(Window);
        await harness.Mailer().RunAsync(default);

        var mail = Assert.Single(harness.Mail.Sent);
        Assert.Contains("asked you", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Alice Archer wrote: The board meets on the 14th.", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commit_dispatched_again_after_its_held_mail_went_mails_nothing_more()
    {
        var harness = new StorageHarness(azurite, holding: true);
        var opened = await harness.OpenAsync();
        await harness.MoveAsync(StorageHarness.AsAlice, opened, Move.Request);
        var commits = await harness.DispatchCommitsAsync();
        harness.Time.Advance(Window);
        await harness.Mailer().RunAsync(default);

        await harness.Dispatcher.DispatchCommitAsync(commits[^1], default);
        harness.Time.Advance(Window);
        await harness.Mailer().RunAsync(default);

        Assert.Equal(1, harness.Mail.CountFor("bob@contoso.test"));
    }

    [Fact]
    public async Task A_stopping_instance_hands_the_mails_it_holds_to_the_box()
    {
        var harness = new StorageHarness(azurite, holding: true);
        var asked = await AskedAndDispatchedAsync(harness);

        await harness.Mailer().HandOverHeldAsync(default);

        Assert.Empty(await harness.PendingFollowUpsAsync(asked.Id));
        Assert.Contains(await BoxRowsAsync(harness), r => r.StartsWith("notice-", StringComparison.Ordinal));
        harness.Time.Advance(Window);
        await harness.Mailer().RunAsync(default);
        Assert.Equal(1, harness.Mail.CountFor("bob@contoso.test"));
    }

    [Fact]
    public async Task A_daily_summary_is_never_held_its_notice_goes_into_the_box_at_once()
    {
        var harness = new StorageHarness(azurite, holding: true);
        await harness.Registry.SetPreferencesAsync(StorageHarness.Bob,
            new NotificationPreferences(NotifyFrequency.Daily, "Europe/Berlin", null, null), default);

        var asked = await AskedAndDispatchedAsync(harness);

        Assert.Equal(0, harness.Held.Count);
        Assert.Empty(await harness.PendingFollowUpsAsync(asked.Id));
        Assert.Contains(await BoxRowsAsync(harness), r => r.StartsWith("notice-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Through_the_API_a_move_is_mailed_from_memory_when_its_window_is_over_and_its_commit_crossed_off()
    {
        var mail = new RecordingMailSender();
        await using var api = new ApiFactory(azurite, services: s => s.AddSingleton<IMailSender>(mail),
            settings: new Dictionary<string, string?> { ["Notifications:CoalesceWindow"] = "00:00:00.500" });
        var alice = await api.SignedInAsync("alice@contoso.test");
        var opened = await alice.OpenForBobAsync("Q3 figures");
        var asked = await alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        await api.Services.GetRequiredService<IFollowUps>().WaitForWorkflowAsync(opened.Id, default);
        Assert.Equal(1, api.Services.GetRequiredService<HeldMails>().Count);

        await Task.Delay(TimeSpan.FromMilliseconds(600));
        Assert.Equal(1, (await api.Services.GetRequiredService<NotificationMailer>().RunAsync(default)).Sent);

        Assert.Contains("Alice Archer asked you", Assert.Single(mail.Sent).Text, StringComparison.Ordinal);
        await StorageSnapshot.SettleAsync(azurite, api.TablePrefix); // Its commit's outbox rows are gone.
    }

    /// <summary>
    /// Past the commit's lease the sweep takes it over; however often the boxes are mailed, at once or one after another,
    /// Bob has had one mail, and nothing is left in the outbox.
    /// </summary>
    private static async Task TheSweepTakesOverAndBobHasOneMailAsync(StorageHarness harness, string workflowId)
    {
        Assert.Equal(1, await harness.Dispatcher.SweepAsync(default));
        await Task.WhenAll(harness.Mailer().RunAsync(default), harness.Mailer().RunAsync(default));
        await harness.Mailer().RunAsync(default);

        Assert.Equal(1, harness.Mail.CountFor("bob@contoso.test"));
        Assert.Empty(await harness.PendingFollowUpsAsync(workflowId));
    }

    /// <summary>Every row in the notice boxes: notices, what they saw, and claims.</summary>
    private static async Task<List<string>> BoxRowsAsync(StorageHarness harness)
    {
        await harness.Tables.EnsureCreatedAsync();
        var rows = new List<string>();
        await foreach (var row in harness.Tables.Notices.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            rows.Add(row.RowKey);
        }
        return rows;
    }
}
