using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Application;
using Workflow.Api.Mail;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>The weekly review: the endpoint, and the timer job that mails it — once per person per week.</summary>
[Collection(SharedAzurite.Name)]
public sealed class WeeklyReviewTests : IAsyncLifetime
{
    // The Functions host's timer payloads, as recorded: the timer value as an object, and as a JSON string.
    private const string TimerAsObject =
        """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-11-16T06:00:00+00:00","Next":"2026-11-23T06:00:00+00:00","LastUpdated":"2026-11-16T06:00:00+00:00"},"IsPastDue":false}},"Metadata":{"timer":{"Schedule":{"AdjustForDST":true},"IsPastDue":false},"sys":{"MethodName":"WeeklyReview","UtcNow":"2026-11-23T06:00:00.012Z","RandGuid":"5b1c1a3e-64b3-4f5e-9b38-2f1d6a0c4e11"}}}""";
    private const string TimerAsString =
        """{"Data":{"timer":"{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":null,\"IsPastDue\":true}"},"Metadata":{"sys":{"MethodName":"WeeklyReview","UtcNow":"2026-11-23T07:13:00.000Z"}}}""";

    private readonly Azurite azurite;
    private readonly RecordingMailSender _mail = new();
    private readonly ApiFactory _api;
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;

    public WeeklyReviewTests(Azurite azurite)
    {
        this.azurite = azurite;
        var mail = _mail;
        _api = new ApiFactory(azurite, services: s => s.AddSingleton<IMailSender>(mail));
    }

    public async Task InitializeAsync()
    {
        _alice = await _api.SignedInAsync("alice@contoso.test");
        _bob = await _api.SignedInAsync("bob@contoso.test");
        var opened = await _alice.OpenForBobAsync("Quarterly numbers");
        await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        await StorageSnapshot.SettleAsync(azurite, _api.TablePrefix);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task My_review_shows_what_waits_on_me_and_what_waits_on_others()
    {
        var bobs = await _bob.GetJsonAsync("/api/review?timeZone=Europe/Berlin");
        var alices = await _alice.GetJsonAsync("/api/review");

        Assert.Equal(HttpStatusCode.OK, bobs.Status);
        Assert.Equal("Europe/Berlin", bobs.Body!["timeZone"]!.GetValue<string>());
        Assert.Equal(["waitingOnMyAnswer"], bobs.Body["items"]!.AsArray().Select(i => i!["section"]!.GetValue<string>()));
        Assert.Equal(["waitingOnOthers"], alices.Body!["items"]!.AsArray().Select(i => i!["section"]!.GetValue<string>()));
        Assert.Equal("UTC", alices.Body["timeZone"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("week=2026-W60")]
    [InlineData("week=last")]
    [InlineData("timeZone=Mars/Olympus_Mons")]
    [InlineData("timeZone=Mars%20Standard%20Time")]
    [InlineData("timeZone=..%2F..%2Fetc%2Fpasswd")]
    public async Task Bad_review_parameters_are_400(string query) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await _bob.GetJsonAsync($"/api/review?{query}")).Status);

    [Fact]
    public async Task A_person_can_set_the_time_zone_their_week_is_computed_in()
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/me/preferences") { Content = JsonContent.Create(new { timeZone = "Pacific/Auckland" }) };
        Assert.Equal(HttpStatusCode.NoContent, (await _bob.SendAsync(put)).StatusCode);

        Assert.Equal("Pacific/Auckland", (await _bob.GetJsonAsync("/api/me")).Body!["timeZone"]!.GetValue<string>());
        Assert.Equal("Pacific/Auckland", (await _bob.GetJsonAsync("/api/review")).Body!["timeZone"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_Windows_zone_name_as_Outlook_gives_it_is_kept_as_its_IANA_zone()
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/me/preferences") { Content = JsonContent.Create(new { timeZone = "W. Europe Standard Time" }) };
        Assert.Equal(HttpStatusCode.NoContent, (await _bob.SendAsync(put)).StatusCode);

        Assert.Equal("Europe/Berlin", (await _bob.GetJsonAsync("/api/me")).Body!["timeZone"]!.GetValue<string>());
        Assert.Equal("America/Los_Angeles", (await _bob.GetJsonAsync("/api/review?timeZone=Pacific%20Standard%20Time")).Body!["timeZone"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_timer_sends_each_person_one_digest_even_when_it_fires_twice()
    {
        using var host = _api.CreateHostClient();

        var first = await host.PostAsync("/WeeklyReview", new StringContent(TimerAsObject, Encoding.UTF8, "application/json"));
        var second = await host.PostAsync("/WeeklyReview", new StringContent(TimerAsString, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var reply = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.Empty(reply["Outputs"]!.AsObject());
        Assert.Null(reply["ReturnValue"]);
        Assert.Contains("2 sent", reply["Logs"]![0]!.GetValue<string>());
        Assert.Contains("past-due", (await second.Content.ReadAsStringAsync()));

        Assert.Equal((1, 1), (_mail.CountFor("alice@contoso.test"), _mail.CountFor("bob@contoso.test")));
        var bobs = _mail.Sent.Single(m => m.ToEmail == "bob@contoso.test");
        Assert.Contains("Waiting for your answer", bobs.Html);
        Assert.Contains("Quarterly numbers", bobs.Html);
    }

    [Fact]
    public async Task A_run_that_fails_part_way_is_finished_by_the_next_without_duplicates()
    {
        _mail.FailFor("bob@contoso.test", times: 1);
        using var host = _api.CreateHostClient();

        var failed = await host.PostAsync("/WeeklyReview", new StringContent(TimerAsObject, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal((1, 0), (_mail.CountFor("alice@contoso.test"), _mail.CountFor("bob@contoso.test")));

        var rerun = await host.PostAsync("/WeeklyReview", new StringContent(TimerAsObject, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, rerun.StatusCode);
        Assert.Equal((1, 1), (_mail.CountFor("alice@contoso.test"), _mail.CountFor("bob@contoso.test")));
    }

    [Fact]
    public async Task A_claim_left_by_a_crashed_run_is_taken_over_once_its_lease_expires()
    {
        var ledger = _api.Services.GetRequiredService<IDigestLedger>();
        var bob = new UserId("11111111-1111-1111-1111-111111111111", "bbbbbbbb-0000-0000-0000-000000000002");
        var week = Domain.Review.ReviewWeek.Containing(DateTimeOffset.UtcNow, TimeZoneInfo.Utc).Name;
        using var host = _api.CreateHostClient();

        // A run that crashed a minute ago still holds Bob's digest: this run leaves it alone.
        Assert.NotNull(await ledger.ClaimAsync(week, bob, DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromMinutes(10), default));
        await host.PostAsync("/WeeklyReview", new StringContent(TimerAsObject, Encoding.UTF8, "application/json"));
        Assert.Equal(0, _mail.CountFor("bob@contoso.test"));

        // Eleven minutes on, the claim has lapsed: the next run sends it.
        var digests = new Azure.Data.Tables.TableClient(azurite.ConnectionString, _api.TablePrefix + "digests");
        var row = (await digests.GetEntityAsync<Azure.Data.Tables.TableEntity>(week, $"{bob.TenantId}_{bob.ObjectId}")).Value;
        row["ClaimedAt"] = DateTimeOffset.UtcNow.AddMinutes(-11);
        await digests.UpdateEntityAsync(row, row.ETag);
        await host.PostAsync("/WeeklyReview", new StringContent(TimerAsObject, Encoding.UTF8, "application/json"));
        Assert.Equal((1, 1), (_mail.CountFor("alice@contoso.test"), _mail.CountFor("bob@contoso.test")));
    }

    [Fact]
    public async Task Development_mail_is_an_eml_file_per_digest_and_sending_again_replaces_it()
    {
        var outbox = Directory.CreateTempSubdirectory("outbox-").FullName;
        try
        {
            var sender = new FileMailSender(new FileMailOptions { OutboxPath = outbox }, TimeProvider.System);
            var mail = new OutgoingMail("bob@contoso.test", "Bob Bäcker", "Your weekly review", "<p>Hello</p>", "2026-W48-bob");

            await sender.SendAsync(mail, default);
            await sender.SendAsync(mail, default);

            var file = Assert.Single(Directory.GetFiles(outbox));
            Assert.Equal("2026-W48-bob.eml", Path.GetFileName(file));
            Assert.True(await sender.WasSentAsync("2026-W48-bob", default));
            Assert.False(await sender.WasSentAsync("2026-W49-bob", default));
            var eml = await MimeKit.MimeMessage.LoadAsync(file);
            Assert.Equal("Bob Bäcker", ((MimeKit.MailboxAddress)eml.To.Single()).Name);
            Assert.Equal("2026-W48-bob@workflow.localhost", eml.MessageId);
            Assert.Equal(("<p>Hello</p>", "Hello\n"), (eml.HtmlBody, eml.TextBody?.ReplaceLineEndings("\n")));
        }
        finally
        {
            Directory.Delete(outbox, recursive: true);
        }
    }
}
