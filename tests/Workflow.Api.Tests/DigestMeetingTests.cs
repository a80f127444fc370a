using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Workflow.Application;
using Workflow.Api.Storage;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>The digest mail says which meetings of the week had a purpose and what came out of them, where it may read calendars.</summary>
[Collection(SharedAzurite.Name)]
public sealed class DigestMeetingTests(Azurite azurite)
{
    private const string Pricing = "event:teams:19:meeting_digest-pricing@thread.v2";
    private const string Sync = "event:040000008200E0-digest-sync";

    private static WeeklyDigestJob Job(StorageHarness storage, IMailSender mail, DigestCalendars? calendars) => new(
        storage.Registry, new PersonalReview(storage.Index, new NoMailbox(), storage.Meetings), new TableDigestLedger(storage.Tables), mail,
        new DigestOptions { AppBaseUrl = new Uri("https://workflow.test/app/") }, storage.Time, NullLogger<WeeklyDigestJob>.Instance, calendars);

    [Fact]
    public async Task The_digest_lists_the_meetings_held_and_what_came_out_of_each_only_where_it_may_read_calendars()
    {
        // Alice is registered; Bob gave two of her meetings a purpose, and promised her something in one of them.
        async Task<StorageHarness> WeekOfMeetingsAsync()
        {
            var harness = new StorageHarness(azurite);
            var at = harness.Time.GetUtcNow();
            await harness.Registry.RememberAsync(StorageHarness.Alice, "alice@contoso.test", "Alice Archer", default);
            await harness.Meetings.SetPurposeAsync(Pricing, null, Quadrant.Q2, StorageHarness.Bob, at, default);
            await harness.Meetings.SetPurposeAsync(Sync, null, Quadrant.Q3, StorageHarness.Bob, at, default);
            await harness.Meetings.RecordAsync([new MeetingOutcome(Pricing, null, "0123456789abcdef0123456789abcdef", 4, "Price the renewal", "Promised",
                PartyRole.Performer, "Bob Baker", at.AddHours(-2), StorageHarness.Alice, StorageHarness.Bob)], default);
            return harness;
        }
        var storage = await WeekOfMeetingsAsync();
        var now = storage.Time.GetUtcNow();
        var calendar = Substitute.For<IMailbox>();
        calendar.IsAvailable.Returns(true);
        calendar.CalendarAsync(StorageHarness.Alice, Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns([
                new CalendarSlot("E1", "Pricing", now.AddHours(-3), now.AddHours(-2), null, [], Pricing),
                new CalendarSlot("E2", "Delivery sync", now.AddDays(-2), now.AddDays(-2).AddMinutes(30), null, [], Sync),
                new CalendarSlot("E3", "Lunch", now.AddDays(-1), now.AddDays(-1).AddHours(1), null, [], "event:lunch"),
            ]);

        var without = new RecordingMailSender();
        await Job(storage, without, null).RunAsync(default);
        // Nothing waits on Alice and no calendar may be read: nothing to say, no mail.
        Assert.Empty(without.Sent);

        // The same week on tables of its own (the first run took Alice's digest of this week), calendars readable now.
        var other = await WeekOfMeetingsAsync();
        var with = new RecordingMailSender();
        await Job(other, with, new DigestCalendars(calendar)).RunAsync(default);

        var digest = Assert.Single(with.Sent);
        Assert.Contains("Meetings this week (2)", digest.Html, StringComparison.Ordinal);
        Assert.Contains("Q2 · Pricing", digest.Html, StringComparison.Ordinal);
        Assert.Contains("1 move came out of it", digest.Html, StringComparison.Ordinal);
        Assert.Contains("Q3 · Delivery sync", digest.Html, StringComparison.Ordinal);
        Assert.Contains("no check-in came out of it", digest.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Lunch", digest.Html, StringComparison.Ordinal);
    }
}
