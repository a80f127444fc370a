using Workflow.Application;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>A meeting's outcomes are mailed once to the parties, when the meeting is over, from both sides.</summary>
[Collection(SharedAzurite.Name)]
public sealed class MeetingOutcomeMailTests(Azurite azurite)
{
    private static readonly MeetingRef Review = new("event:teams:19:meeting_review@thread.v2", new DateOnly(2026, 11, 24));

    [Fact]
    public async Task Each_party_gets_one_mail_of_what_came_out_of_the_meeting_after_it_and_nobody_else_does()
    {
        var harness = new StorageHarness(azurite);
        await harness.Meetings.SetPurposeAsync(Review.Key, null, Quadrant.Q2, StorageHarness.Alice, harness.Time.GetUtcNow(), default);
        var asked = await harness.OpenAsync(start: Start.Requested);
        await harness.Dispatcher.DispatchCommitAsync(harness.TakeCommits().Single(), default);
        var mail = new RecordingMailSender();
        await harness.Mailer(mail).RunAsync(default); // Bob hears of the request.

        var promised = await harness.MoveAsync(StorageHarness.AsBob, asked, Move.Promise, new MoveDetails { Meeting = Review });
        var note = await harness.MoveAsync(StorageHarness.AsAlice, promised, Move.Note, new MoveDetails { Text = "Thanks!", Meeting = Review });
        foreach (var commit in harness.TakeCommits())
        {
            await harness.Dispatcher.DispatchCommitAsync(commit, default);
        }
        await harness.Mailer(mail).RunAsync(default);
        Assert.DoesNotContain(mail.Sent, m => m.Subject.Contains("came out of the meeting", StringComparison.Ordinal));

        harness.Time.Advance(harness.NotificationOptions.OutcomesAfter);
        await harness.Mailer(mail).RunAsync(default);
        // A dispatch repeated after the mail went (a crash before crossing it off) tells nobody again.
        await harness.Dispatcher.SweepAsync(default);
        await harness.Outcomes.RecordAsync(note.Id, 1, note.Version, default);
        harness.Time.Advance(harness.NotificationOptions.OutcomesAfter);
        await harness.Mailer(mail).RunAsync(default);

        var outcomes = mail.Sent.Where(m => m.Subject.Contains("came out of the meeting", StringComparison.Ordinal)).ToList();
        Assert.Equal(["alice@contoso.test", "bob@contoso.test"], outcomes.Select(m => m.ToEmail).Order());
        foreach (var sent in outcomes)
        {
            Assert.Equal("Workflow: what came out of the meeting on Tuesday 24 November", sent.Subject);
            Assert.Contains("(Q2, negotiate)", sent.Text, StringComparison.Ordinal);
            Assert.Contains("Bob Baker promised: Review the budget", sent.Text, StringComparison.Ordinal);
            Assert.Contains("Alice Archer added a note to: Review the budget", sent.Text, StringComparison.Ordinal);
            Assert.Contains($"?workflow={asked.Id}", sent.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Someone_who_wants_the_weekly_review_only_gets_no_outcome_mail()
    {
        var harness = new StorageHarness(azurite);
        await harness.Registry.SetPreferencesAsync(StorageHarness.Alice, new NotificationPreferences(NotifyFrequency.Weekly, "UTC", null, null), default);
        var asked = await harness.OpenAsync(start: Start.Requested);
        await harness.MoveAsync(StorageHarness.AsBob, asked, Move.Promise, new MoveDetails { Meeting = Review });
        foreach (var commit in harness.TakeCommits())
        {
            await harness.Dispatcher.DispatchCommitAsync(commit, default);
        }
        harness.Time.Advance(harness.NotificationOptions.OutcomesAfter);
        var mail = new RecordingMailSender();

        await harness.Mailer(mail).RunAsync(default);

        Assert.Equal(0, mail.CountFor("alice@contoso.test"));
        Assert.Single(mail.Sent, m => m.ToEmail == "bob@contoso.test" && m.Subject.Contains("came out of the meeting", StringComparison.Ordinal));
    }
}
