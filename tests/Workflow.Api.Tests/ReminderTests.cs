using Microsoft.Extensions.Logging.Abstractions;
using Workflow.Application;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// Reminders before a clock runs out, to the person whose move it is, and "no answer yet" to the customer whose request
/// ran past its reply-by — once per clock, however often the job runs.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class ReminderTests(Azurite azurite)
{
    private static ReminderJob Reminders(StorageHarness harness) =>
        new(harness.Registry, harness.Index, harness.Notices, harness.NotificationOptions, harness.Time, NullLogger<ReminderJob>.Instance);

    private static async Task<WorkflowState> AskedAndProjectedAsync(StorageHarness harness)
    {
        var opened = await harness.OpenAsync();
        var asked = await harness.MoveAsync(StorageHarness.AsAlice, opened, Move.Request); // reply-by: in 2 days
        await harness.Dispatcher.DispatchAsync(asked.Id, default);
        return asked;
    }

    [Fact]
    public async Task The_performer_is_reminded_a_day_before_the_reply_by_once_and_the_customer_when_it_has_run_out()
    {
        var harness = new StorageHarness(azurite);
        await AskedAndProjectedAsync(harness);
        var mail = new RecordingMailSender();
        await harness.Mailer(mail).RunAsync(default); // The request itself.
        Assert.Equal(1, mail.CountFor("bob@contoso.test"));

        Assert.Equal(0, await Reminders(harness).RunAsync(default)); // Two days left: too early.

        harness.Time.Advance(TimeSpan.FromHours(30)); // 18 hours left.
        Assert.Equal(1, await Reminders(harness).RunAsync(default));
        Assert.Equal(0, await Reminders(harness).RunAsync(default)); // Once per clock.
        await harness.Mailer(mail).RunAsync(default);
        var reminder = mail.Sent.Last();
        Assert.Equal("bob@contoso.test", reminder.ToEmail);
        Assert.Contains("Reminder: your answer is due", reminder.Text);
        Assert.Contains("&move=promise", reminder.Text);

        harness.Time.Advance(TimeSpan.FromHours(20)); // Past the reply-by, no answer.
        Assert.Equal(1, await Reminders(harness).RunAsync(default)); // Alice's "no answer yet"; Bob was reminded of this clock.
        await harness.Mailer(mail).RunAsync(default);
        var toAlice = Assert.Single(mail.Sent, m => m.ToEmail == "alice@contoso.test");
        Assert.Contains("No answer yet", toAlice.Text);
        Assert.Contains("&move=withdraw", toAlice.Text);
        Assert.Equal(2, mail.CountFor("bob@contoso.test"));
    }

    [Fact]
    public async Task The_customer_is_reminded_to_check_in_on_a_promise_once_per_stretch_without_one()
    {
        var harness = new StorageHarness(azurite);
        var asked = await AskedAndProjectedAsync(harness);
        var promised = await harness.MoveAsync(StorageHarness.AsBob, asked, Move.Promise);
        await harness.Dispatcher.DispatchAsync(promised.Id, default);
        var mail = new RecordingMailSender();
        await harness.Mailer(mail).RunAsync(default);
        var before = mail.CountFor("alice@contoso.test");

        harness.Time.Advance(TimeSpan.FromDays(13));
        await Reminders(harness).RunAsync(default);
        await harness.Mailer(mail).RunAsync(default);
        Assert.Equal(before, mail.CountFor("alice@contoso.test")); // Thirteen days: not yet.

        harness.Time.Advance(TimeSpan.FromDays(1.5));
        await Reminders(harness).RunAsync(default);
        await Reminders(harness).RunAsync(default);
        await harness.Mailer(mail).RunAsync(default);
        var toAlice = Assert.Single(mail.Sent.Skip(0), m => m.ToEmail == "alice@contoso.test" && m.Text!.Contains("Time to check in", StringComparison.Ordinal));
        Assert.Contains("&move=checkIn", toAlice.Text);
    }

    [Fact]
    public async Task A_customer_who_set_a_cadence_is_reminded_when_a_check_in_of_it_is_missed_and_the_performer_was_told_of_it()
    {
        var harness = new StorageHarness(azurite);
        var asked = await AskedAndProjectedAsync(harness);
        var promised = await harness.MoveAsync(StorageHarness.AsBob, asked, Move.Promise);
        var weekly = await harness.MoveAsync(StorageHarness.AsAlice, promised, Move.SetCheckIns, new MoveDetails { CheckInEveryDays = 3 });
        await harness.Dispatcher.DispatchAsync(weekly.Id, default);
        var mail = new RecordingMailSender();
        await harness.Mailer(mail).RunAsync(default);
        Assert.Contains(mail.Sent, m => m.ToEmail == "bob@contoso.test" && m.Text!.Contains("will check in every 3 days", StringComparison.Ordinal));
        var before = mail.CountFor("alice@contoso.test");

        harness.Time.Advance(TimeSpan.FromDays(2));
        await Reminders(harness).RunAsync(default);
        await harness.Mailer(mail).RunAsync(default);
        Assert.Equal(before, mail.CountFor("alice@contoso.test")); // Within her cadence.

        harness.Time.Advance(TimeSpan.FromDays(1.5)); // Three and a half days: her own cadence is missed, long before the default fourteen.
        await Reminders(harness).RunAsync(default);
        await harness.Mailer(mail).RunAsync(default);
        Assert.Single(mail.Sent, m => m.ToEmail == "alice@contoso.test" && m.Text!.Contains("Time to check in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task People_who_chose_the_weekly_review_only_get_no_reminder_mail()
    {
        var harness = new StorageHarness(azurite);
        await AskedAndProjectedAsync(harness);
        await harness.Registry.SetPreferencesAsync(StorageHarness.Bob, new NotificationPreferences(NotifyFrequency.Weekly, "UTC", null, null), default);

        harness.Time.Advance(TimeSpan.FromHours(30));

        Assert.Equal(0, await Reminders(harness).RunAsync(default));
    }
}
