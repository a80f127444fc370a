using Azure.Data.Tables;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Workflow.Application;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// Exactly once per recipient per event, against Azurite: across a sender that dies mid-send, a dispatch repeated
/// after a crash, and two dispatchers and two senders running at once.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class NotificationDeliveryTests(Azurite azurite)
{
    /// <summary>Delivers, then dies before the mailer can record it: the worst moment for a crash.</summary>
    private sealed class DiesAfterDelivering(RecordingMailSender delivered) : IMailSender
    {
        public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
        {
            await delivered.SendAsync(mail, cancellationToken);
            throw new IOException("Injected: the process died after the mail left.");
        }

        public Task<bool> WasSentAsync(string deduplicationId, CancellationToken cancellationToken) =>
            delivered.WasSentAsync(deduplicationId, cancellationToken);
    }

    private static async Task<WorkflowState> AskedAsync(StorageHarness harness)
    {
        var opened = await harness.OpenAsync();
        return await harness.MoveAsync(StorageHarness.AsAlice, opened, Move.Request);
    }

    [Fact]
    public async Task A_sender_that_dies_after_delivering_is_taken_over_and_the_mail_is_not_sent_again()
    {
        var harness = new StorageHarness(azurite);
        var asked = await AskedAsync(harness);
        await harness.Dispatcher.DispatchAsync(asked.Id, default);
        var delivered = new RecordingMailSender();

        var first = await harness.Mailer(new DiesAfterDelivering(delivered)).RunAsync(default);
        harness.Time.Advance(harness.NotificationOptions.ClaimLease + TimeSpan.FromSeconds(1));
        var second = await harness.Mailer(delivered).RunAsync(default);

        Assert.Equal((0, 1), (first.Sent, first.Failed));
        Assert.Equal(1, second.TakenOver);
        Assert.Equal(1, delivered.CountFor("bob@contoso.test"));
        Assert.Empty(await OpenClaimsAsync(harness));
    }

    [Fact]
    public async Task A_sender_that_fails_before_delivering_is_retried_after_its_lease_and_the_mail_goes_once()
    {
        var harness = new StorageHarness(azurite);
        var asked = await AskedAsync(harness);
        await harness.Dispatcher.DispatchAsync(asked.Id, default);
        var mail = new RecordingMailSender();
        mail.FailFor("bob@contoso.test", 1);

        await harness.Mailer(mail).RunAsync(default);
        await harness.Mailer(mail).RunAsync(default); // Within the lease: nobody touches the claim.
        Assert.Equal(0, mail.CountFor("bob@contoso.test"));

        harness.Time.Advance(harness.NotificationOptions.ClaimLease + TimeSpan.FromSeconds(1));
        await Task.WhenAll(harness.Mailer(mail).RunAsync(default), harness.Mailer(mail).RunAsync(default));

        Assert.Equal(1, mail.CountFor("bob@contoso.test"));
    }

    [Fact]
    public async Task A_dispatch_repeated_after_its_notice_was_mailed_does_not_tell_anyone_again()
    {
        var harness = new StorageHarness(azurite);
        var asked = await AskedAsync(harness);
        var mail = new RecordingMailSender();

        await harness.Dispatcher.DispatchAsync(asked.Id, default);
        await harness.Mailer(mail).RunAsync(default);
        // The crash between recording the notices and crossing the outbox row off: the row is dispatched again.
        await harness.Notifier.RecordAsync(asked.Id, [new Notify(asked.Version, PartyRole.Performer)], default);
        await harness.Mailer(mail).RunAsync(default);

        Assert.Equal(1, mail.CountFor("bob@contoso.test"));
    }

    [Fact]
    public async Task Two_dispatchers_and_two_senders_at_once_tell_each_recipient_of_each_event_once()
    {
        var harness = new StorageHarness(azurite);
        var states = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => AskedAsync(harness)));
        var other = new StorageHarness(azurite); // Not used for writing: a second instance's dispatcher must share the tables.
        var second = new FollowUpDispatcher(harness.Store, harness.Projector, harness.Workflows, harness.Notifier,
            harness.Outcomes, new Workflow.Api.Storage.TableFigures(harness.Tables, harness.Store),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<FollowUpDispatcher>.Instance);
        var mail = new RecordingMailSender();

        await Task.WhenAll(states.SelectMany(s => new[] { harness.Dispatcher.DispatchAsync(s.Id, default), second.DispatchAsync(s.Id, default) }));
        await Task.WhenAll(harness.Mailer(mail).RunAsync(default), harness.Mailer(mail).RunAsync(default));

        Assert.Equal(5, mail.CountFor("bob@contoso.test"));
        Assert.Equal(5, mail.Sent.Select(m => m.DeduplicationId).Distinct().Count());
        Assert.All(states, s => Assert.Single(mail.Sent, m => m.Text!.Contains($"workflow={s.Id}&move=promise", StringComparison.Ordinal)));
        Assert.NotNull(other);
    }

    /// <summary>Bob wants a daily summary (Berlin); Alice asks him twice, and both notices are in his box.</summary>
    private async Task<(StorageHarness Harness, WorkflowState[] States)> BobWantsADailySummaryOfTwoRequestsAsync()
    {
        var harness = new StorageHarness(azurite);
        await harness.Registry.SetPreferencesAsync(StorageHarness.Bob,
            new NotificationPreferences(NotifyFrequency.Daily, "Europe/Berlin", null, null), default);
        var states = await Task.WhenAll(AskedAsync(harness), AskedAsync(harness));
        foreach (var state in states)
        {
            await harness.Dispatcher.DispatchAsync(state.Id, default);
        }
        return (harness, states);
    }

    [Fact]
    public async Task A_daily_summary_waits_for_the_morning_and_carries_every_workflow_in_one_mail()
    {
        var (harness, states) = await BobWantsADailySummaryOfTwoRequestsAsync();
        var mail = new RecordingMailSender();

        await harness.Mailer(mail).RunAsync(default); // 10:00 in Berlin: the summary went at 08:00, the next is tomorrow.
        Assert.Empty(mail.Sent);
        harness.Time.Advance(TimeSpan.FromHours(22)); // 08:00 tomorrow in Berlin.
        await harness.Mailer(mail).RunAsync(default);

        var summary = Assert.Single(mail.Sent);
        Assert.Equal("Workflow: today's summary, 2 workflows", summary.Subject);
        Assert.All(states, s => Assert.Contains($"workflow={s.Id}&move=promise", summary.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Teams_hears_of_it_beside_the_mail_never_instead_and_a_failing_feed_does_not_send_the_mail_again()
    {
        var harness = new StorageHarness(azurite);
        var asked = await AskedAsync(harness);
        await harness.Dispatcher.DispatchAsync(asked.Id, default);
        var teams = Substitute.For<ITeamsNotifier>();
        teams.NotifyAsync(Arg.Any<UserId>(), Arg.Any<TeamsActivity>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new HttpRequestException("Injected: Teams is down."));
        var mail = new RecordingMailSender();

        var run = await harness.Mailer(mail, teams).RunAsync(default);
        await harness.Mailer(mail, teams).RunAsync(default);

        Assert.Equal(1, run.Sent);
        Assert.Equal(1, mail.CountFor("bob@contoso.test"));
        await teams.Received(1).NotifyAsync(StorageHarness.Bob,
            Arg.Is<TeamsActivity>(a => a.WorkflowId == asked.Id && a.WebUrl.Query.Contains(asked.Id)), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_mail_costs_one_query_for_everything_due_then_its_claim_its_read_and_its_mark()
    {
        var counter = new StorageRequestCounter();
        var harness = new StorageHarness(azurite, counter);
        harness.NotificationOptions.ClaimLease = TimeSpan.FromDays(1); // So the measured pass is not one that looks for abandoned claims.
        var mail = new RecordingMailSender();
        var mailer = harness.Mailer(mail);
        await mailer.RunAsync(default); // Nothing due yet: the first pass also looks for abandoned claims.
        var asked = await AskedAsync(harness);
        await harness.Dispatcher.DispatchAsync(asked.Id, default);

        // Long after anything of Bob's read then could still be remembered (in production the mail goes a minute on).
        harness.Time.Advance(TimeSpan.FromHours(1));
        using var measured = counter.Measure();
        Assert.Equal(1, (await mailer.RunAsync(default)).Sent);

        // Bob's preferences came with his notice, as it was timed by them: he is not read again.
        Assert.Equal(["GET notices", "POST $batch", "GET workflows", "DELETE notices"], measured.Requests.Select(harness.TableRequest));
    }

    [Fact]
    public async Task A_notice_stored_before_notices_kept_their_timing_is_mailed_by_the_persons_choice()
    {
        var (harness, _) = await BobWantsADailySummaryOfTwoRequestsAsync();
        // As an older release stored them: due now, without the frequency and zone they were timed by.
        await harness.Tables.EnsureCreatedAsync();
        await foreach (var row in harness.Tables.Notices.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"RowKey ge {"notice-"} and RowKey lt {"notice."}")))
        {
            row.Remove("Frequency");
            row.Remove("TimeZone");
            row["DueAt"] = harness.Time.GetUtcNow();
            await harness.Tables.Notices.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        }
        var mail = new RecordingMailSender();

        await harness.Mailer(mail).RunAsync(default);

        // Bob wants a daily summary: both workflows in one mail, as his registry row says.
        Assert.Equal("Workflow: today's summary, 2 workflows", Assert.Single(mail.Sent).Subject);
    }

    [Fact]
    public async Task The_due_query_brings_each_box_with_a_due_notice_and_what_rides_along_and_leaves_the_rest_waiting()
    {
        var counter = new StorageRequestCounter();
        var harness = new StorageHarness(azurite, counter);
        var now = harness.Time.GetUtcNow();
        var window = TimeSpan.FromMinutes(1);
        Notice NoticeOf(string workflowId, int version, DateTimeOffset dueAt) => new(
            workflowId, Notice.MoveId(workflowId, version), NoticeKind.Move, version, PartyRole.Performer, now.AddMinutes(version - 10), dueAt);
        var bob = new Addressee(StorageHarness.Bob, "bob@contoso.test", "Bob Baker");
        var carol = new Addressee(null, "carol@outside.example", null);
        var dave = new Addressee(null, "dave@outside.example", "Dave");
        await harness.Notices.AddAsync(bob, [NoticeOf("wf1", 2, now), NoticeOf("wf1", 3, now + window / 2), NoticeOf("wf2", 2, now.AddHours(3))], default);
        await harness.Notices.AddAsync(carol, [NoticeOf("wf3", 2, now + window / 2)], default);
        await harness.Notices.AddAsync(dave, [NoticeOf("wf4", 2, now.AddHours(-1))], default);

        var found = new List<string>();
        using (var measured = counter.Measure())
        {
            await foreach (var (recipient, notices) in harness.Notices.DueAsync(now, now + window, default))
            {
                found.Add($"{recipient.DisplayName}: {string.Join(", ", notices.Select(n => n.Id))}");
            }
            Assert.Equal(1, measured.Count);
        }

        // Carol has nothing due yet; Bob's notice held by quiet hours (wf2) waits for its own time.
        Assert.Equal(["Bob Baker: wf1-0000000002, wf1-0000000003", "Dave: wf4-0000000002"], found.Order(StringComparer.Ordinal));
    }

    private static async Task<List<string>> OpenClaimsAsync(StorageHarness harness)
    {
        var claims = new List<string>();
        await foreach (var claim in harness.Notices.AbandonedAsync(DateTimeOffset.MaxValue, default))
        {
            claims.Add(claim.MailId);
        }
        return claims;
    }
}
