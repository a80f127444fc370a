using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Application;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// The other party is told: each move that hands them the ball becomes one mail to them, with the moves they may make
/// as links — and someone outside the organisation acts from their personal link. Through the HTTP API, both sides.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed partial class NotificationTests(Azurite azurite) : IAsyncLifetime
{
    private readonly RecordingMailSender _mail = new();
    private ApiFactory _api = null!;
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;

    public async Task InitializeAsync()
    {
        var mail = _mail;
        _api = new ApiFactory(azurite, services: s => s.AddSingleton<IMailSender>(mail),
            settings: new Dictionary<string, string?> { ["Digest:AppBaseUrl"] = "https://workflow.test/app/" });
        _alice = await _api.SignedInAsync("alice@contoso.test");
        _bob = await _api.SignedInAsync("bob@contoso.test");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private async Task<MailRun> MailAsync()
    {
        await StorageSnapshot.SettleAsync(azurite, _api.TablePrefix);
        return await _api.Services.GetRequiredService<NotificationMailer>().RunAsync(default);
    }

    [Fact]
    public async Task Alice_asks_and_Bob_gets_one_mail_with_his_moves_as_links_then_Alice_hears_of_his_promise()
    {
        var opened = await _alice.OpenForBobAsync("Q3 figures");
        await MailAsync();
        Assert.Empty(_mail.Sent); // A draft is Alice's own: Bob hears nothing yet.

        var asked = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        await MailAsync();

        var toBob = Assert.Single(_mail.Sent);
        Assert.Equal("bob@contoso.test", toBob.ToEmail);
        Assert.Equal("Workflow: Q3 figures", toBob.Subject);
        Assert.Contains("Alice Archer asked you: Comments on every line over 10k", toBob.Text);
        Assert.Contains($"https://workflow.test/app/?workflow={opened.Id}&move=promise", toBob.Text);
        Assert.Contains($"?workflow={opened.Id}&amp;move=promise", toBob.Html);
        Assert.Contains("Your move, answer by", toBob.Text);
        Assert.DoesNotContain("#guest=", toBob.Text); // Bob is in the organisation: he signs in.
        Assert.Equal(0, _mail.CountFor("alice@contoso.test"));

        await _bob.MoveAsync(opened.Id, asked.ETag, new { move = "promise" });
        await MailAsync();

        var toAlice = Assert.Single(_mail.Sent, m => m.ToEmail == "alice@contoso.test");
        Assert.Contains("Bob Baker promised.", toAlice.Text);
        Assert.Contains($"?workflow={opened.Id}&move=checkIn", toAlice.Text);
        Assert.Contains("Agreed: Comments on every line over 10k", toAlice.Text);
        // Both mails about this workflow thread together in each mailbox, under a root of their own per person.
        Assert.NotNull(toAlice.ThreadId);
        Assert.NotEqual(toBob.ThreadId, toAlice.ThreadId);
        Assert.Equal(2, _mail.Sent.Count);
    }

    [Fact]
    public async Task What_the_opener_wrote_in_a_draft_stays_theirs_after_it_is_sent_and_a_draft_withdrawn_unsent_is_never_mailed()
    {
        var opened = await _alice.OpenForBobAsync("Pricing");
        var noted = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "note", text = "Start low, he will take it" });
        await _alice.MoveAsync(opened.Id, noted.ETag, new { move = "request" });
        await MailAsync();

        var bobsHistory = await _bob.HistoryAsync(opened.Id);
        Assert.DoesNotContain(bobsHistory, e => e!["event"]!.GetValue<string>() == "noteAdded");
        Assert.Equal(["workflowOpened", "requested"], bobsHistory.Select(e => e!["event"]!.GetValue<string>()));
        // Bob's note after it was sent is Alice's to read, and his own.
        Assert.Contains(await _alice.HistoryAsync(opened.Id), e => e!["event"]!.GetValue<string>() == "noteAdded");
        Assert.DoesNotContain("Start low", Assert.Single(_mail.Sent).Text);

        var kept = await _alice.OpenAsync(new { concern = "Never sent", customer = "me", performer = "out@outside.example" });
        var withdrawn = await _alice.MoveAsync(kept.Id, kept.ETag, new { move = "withdraw" });
        await _alice.MoveAsync(kept.Id, withdrawn.ETag, new { move = "note", text = "Glad I never sent it" });
        await MailAsync();
        Assert.Equal(0, _mail.CountFor("out@outside.example"));
    }

    [Fact]
    public async Task Moves_close_together_become_one_mail_and_the_next_move_a_mail_in_the_same_thread()
    {
        var opened = await _alice.OpenForBobAsync("Board pack");
        var asked = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        await _alice.MoveAsync(opened.Id, asked.ETag, new { move = "note", text = "The board meets on the 14th." });
        await MailAsync();

        var first = Assert.Single(_mail.Sent);
        Assert.Contains("asked you", first.Text);
        Assert.Contains("Alice Archer wrote: The board meets on the 14th.", first.Text);

        var current = await _bob.GetJsonAsync($"/api/workflows/{opened.Id}");
        await _bob.MoveAsync(opened.Id, current.ETag, new { move = "note", text = "Which figures exactly?" });
        await _alice.GetJsonAsync($"/api/workflows/{opened.Id}");
        var after = await _alice.GetJsonAsync($"/api/workflows/{opened.Id}");
        await _alice.MoveAsync(opened.Id, after.ETag, new { move = "note", text = "Revenue and cost." });
        await MailAsync();

        var second = Assert.Single(_mail.Sent, m => m.ToEmail == "bob@contoso.test" && m != first);
        Assert.Equal(first.ThreadId, second.ThreadId);
        Assert.NotEqual(first.DeduplicationId, second.DeduplicationId);
    }

    [Fact]
    public async Task Running_the_mailer_again_or_twice_at_once_sends_nothing_more()
    {
        var opened = await _alice.OpenForBobAsync("Contract review");
        await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        await StorageSnapshot.SettleAsync(azurite, _api.TablePrefix);
        var mailer = _api.Services.GetRequiredService<NotificationMailer>();

        await Task.WhenAll(mailer.RunAsync(default), mailer.RunAsync(default), mailer.RunAsync(default));
        await mailer.RunAsync(default);

        Assert.Equal(1, _mail.CountFor("bob@contoso.test"));
    }

    [Fact]
    public async Task Someone_outside_the_organisation_acts_from_the_personal_link_and_only_as_themselves()
    {
        var opened = await _alice.OpenAsync(new
        {
            concern = "Audit the accounts", customer = "me", performer = "auditor@outside.example",
            conditions = "Signed audit letter", dueBy = DateTimeOffset.UtcNow.AddDays(20),
            source = new { key = "thread:internal-audit-planning", kind = "message", subject = "Internal: audit budget" },
        });
        await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        await MailAsync();

        var mail = Assert.Single(_mail.Sent);
        Assert.Equal("auditor@outside.example", mail.ToEmail);
        var token = GuestToken().Match(mail.Text!).Groups[1].Value;
        Assert.Equal(GuestTokens.Length, token.Length);
        using var guest = _api.CreateClient();
        guest.DefaultRequestHeaders.Add("Workflow-Link", token);

        var seen = await guest.GetJsonAsync("/api/guest/workflow");
        Assert.Equal(HttpStatusCode.OK, seen.Status);
        Assert.Equal("performer", seen.Body!["yourRole"]!.GetValue<string>());
        Assert.Empty(seen.Body["links"]!.AsArray()); // The organisation's mail threads are not shown through a link.
        Assert.Contains("promise", seen.AvailableMoves);

        // The customer's move is not theirs.
        var notTheirs = await GuestMoveAsync(guest, seen.ETag, new { move = "withdraw" });
        Assert.Equal(HttpStatusCode.Conflict, notTheirs.Status);
        // Nor is a meeting's record: a link holder cannot put a move into one.
        var inAMeeting = await GuestMoveAsync(guest, seen.ETag, new { move = "promise", meeting = "event:teams:19:meeting_x@thread.v2" });
        Assert.Equal(HttpStatusCode.BadRequest, inAMeeting.Status);

        var promised = await GuestMoveAsync(guest, seen.ETag, new { move = "promise" });
        Assert.Equal(HttpStatusCode.OK, promised.Status);
        Assert.Equal("promised", promised.State);

        var history = await _alice.HistoryAsync(opened.Id);
        var promise = history.Last()!;
        Assert.Equal("promised", promise["event"]!.GetValue<string>());
        Assert.Equal("mailedLink", promise["via"]!.GetValue<string>());
        Assert.Equal("auditor@outside.example", promise["who"]!.GetValue<string>());

        // Alice is told, and her mail carries no personal link (she signs in).
        await MailAsync();
        var toAlice = Assert.Single(_mail.Sent, m => m.ToEmail == "alice@contoso.test");
        Assert.DoesNotContain("#guest=", toAlice.Text);

        // Alice revokes the link: it no longer works, for reading or for moving.
        var current = await _alice.GetJsonAsync($"/api/workflows/{opened.Id}");
        var revoke = await _alice.PostAsync($"/api/workflows/{opened.Id}/guest-links/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await guest.GetJsonAsync("/api/guest/workflow")).Status);
        Assert.Equal(HttpStatusCode.Gone, (await GuestMoveAsync(guest, $"\"{current.Version + 1}\"", new { move = "reportComplete" })).Status);
        Assert.Equal("promised", (await _alice.GetJsonAsync($"/api/workflows/{opened.Id}")).State);
    }

    [Fact]
    public async Task Someone_outside_can_stop_the_mails_with_any_link_they_were_sent_and_start_them_again()
    {
        var opened = await _alice.OpenAsync(new
        {
            concern = "Board pack review", customer = "me", performer = "director@board.example",
            conditions = "Comments by the board", dueBy = DateTimeOffset.UtcNow.AddDays(20), start = "requested",
        });
        await MailAsync();
        var first = Assert.Single(_mail.Sent, m => m.ToEmail == "director@board.example");
        Assert.Contains("To stop mails to this address, open", first.Text);
        Assert.DoesNotContain("?view=preferences", first.Text); // No preferences page without an account.
        var token = GuestToken().Match(first.Text!).Groups[1].Value;
        using var guest = _api.CreateClient();
        guest.DefaultRequestHeaders.Add("Workflow-Link", token);

        // Revoked links still stop mail: nobody should need a new link to stop getting them.
        Assert.Equal(HttpStatusCode.OK, (await _alice.PostAsync($"/api/workflows/{opened.Id}/guest-links/revoke", null)).StatusCode);
        Assert.False((await guest.GetJsonAsync("/api/guest/mail")).Body!["stopped"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent, (await guest.PutAsJsonAsync("/api/guest/mail", new { stopped = true })).StatusCode);
        var status = await guest.GetJsonAsync("/api/guest/mail");
        Assert.Equal(("director@board.example", true), (status.Body!["address"]!.GetValue<string>(), status.Body["stopped"]!.GetValue<bool>()));

        var current = await _alice.GetJsonAsync($"/api/workflows/{opened.Id}");
        var noted = await _alice.MoveAsync(opened.Id, current.ETag, new { move = "note", text = "Any news?" });
        await MailAsync();
        Assert.Equal(1, _mail.CountFor("director@board.example")); // Stopped: the note goes unmailed.

        Assert.Equal(HttpStatusCode.NoContent, (await guest.PutAsJsonAsync("/api/guest/mail", new { stopped = false })).StatusCode);
        await _alice.MoveAsync(opened.Id, noted.ETag, new { move = "note", text = "Please have a look." });
        await MailAsync();
        Assert.Equal(2, _mail.CountFor("director@board.example"));

        Assert.Equal(HttpStatusCode.BadRequest, (await guest.PutAsJsonAsync("/api/guest/mail", new { stopped = "yes" })).StatusCode);
        using var stranger = _api.CreateClient();
        stranger.DefaultRequestHeaders.Add("Workflow-Link", GuestTokens.New());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsJsonAsync("/api/guest/mail", new { stopped = true })).StatusCode);
    }

    [Fact]
    public async Task A_link_grants_nothing_beyond_its_own_workflow_and_party()
    {
        var first = await _alice.OpenAsync(new { concern = "One", customer = "me", performer = "x@outside.example", conditions = "c", dueBy = DateTimeOffset.UtcNow.AddDays(5) });
        await _alice.MoveAsync(first.Id, first.ETag, new { move = "request" });
        var second = await _alice.OpenForBobAsync("Two");
        await _alice.MoveAsync(second.Id, second.ETag, new { move = "request" });
        await MailAsync();
        var token = GuestToken().Match(Assert.Single(_mail.Sent, m => m.ToEmail == "x@outside.example").Text!).Groups[1].Value;

        using var guest = _api.CreateClient();
        guest.DefaultRequestHeaders.Add("Workflow-Link", token);
        // No route takes another workflow's id with a link; the signed-in routes do not accept a link.
        Assert.Equal(HttpStatusCode.Unauthorized, (await guest.GetAsync($"/api/workflows/{second.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await guest.GetAsync("/api/workflows")).StatusCode);

        using var tampered = _api.CreateClient();
        tampered.DefaultRequestHeaders.Add("Workflow-Link", (token[0] == 'A' ? "B" : "A") + token[1..]);
        var refused = await tampered.GetJsonAsync("/api/guest/workflow");
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        Assert.Equal("https://workflow.dev/problems/link-not-valid", refused.ProblemType);

        using var none = _api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await none.GetJsonAsync("/api/guest/workflow")).Status);
        using var malformed = _api.CreateClient();
        malformed.DefaultRequestHeaders.Add("Workflow-Link", "../../api/workflows");
        Assert.Equal(HttpStatusCode.Unauthorized, (await malformed.GetJsonAsync("/api/guest/workflow")).Status);
    }

    [Fact]
    public async Task An_expired_link_is_refused_with_a_plain_answer()
    {
        var opened = await _alice.OpenAsync(new { concern = "Old", customer = "me", performer = "late@outside.example", conditions = "c", dueBy = DateTimeOffset.UtcNow.AddDays(5) });
        await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        var links = _api.Services.GetRequiredService<IGuestLinks>();
        var token = await links.IssueAsync(new GuestGrant(opened.Id, Domain.PartyRole.Performer, "late@outside.example",
            DateTimeOffset.UtcNow.AddDays(-31), DateTimeOffset.UtcNow.AddMinutes(-1)), default);

        using var guest = _api.CreateClient();
        guest.DefaultRequestHeaders.Add("Workflow-Link", token);
        var answer = await guest.GetJsonAsync("/api/guest/workflow");

        Assert.Equal(HttpStatusCode.Gone, answer.Status);
        Assert.Equal("https://workflow.dev/problems/link-expired", answer.ProblemType);
    }

    [Fact]
    public async Task Preferences_weekly_only_means_no_notification_mail_and_bad_preferences_are_refused()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _bob.PutAsJsonAsync("/api/me/preferences", new { notify = "weekly" })).StatusCode);
        var me = await _bob.GetJsonAsync("/api/me");
        Assert.Equal("weekly", me.Body!["notify"]!.GetValue<string>());

        var opened = await _alice.OpenForBobAsync("Quiet please");
        await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        await MailAsync();
        Assert.Equal(0, _mail.CountFor("bob@contoso.test"));

        Assert.Equal(HttpStatusCode.BadRequest, (await _bob.PutAsJsonAsync("/api/me/preferences", new { notify = "hourly" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _bob.PutAsJsonAsync("/api/me/preferences", new { quietFrom = "22:00" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _bob.PutAsJsonAsync("/api/me/preferences", new { quietFrom = "25:00", quietTo = "07:00" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _bob.PutAsJsonAsync("/api/me/preferences", new { quietFrom = "22:00", quietTo = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _bob.PutAsJsonAsync("/api/me/preferences", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _bob.PutAsJsonAsync("/api/me/preferences", new { quietFrom = "22:00", quietTo = "07:00", timeZone = "Europe/Berlin" })).StatusCode);
        me = await _bob.GetJsonAsync("/api/me");
        Assert.Equal("weekly", me.Body!["notify"]!.GetValue<string>()); // Left out, so kept.
        Assert.Equal("22:00", me.Body["quietFrom"]!.GetValue<string>());
        Assert.Equal("Europe/Berlin", me.Body["timeZone"]!.GetValue<string>());
    }

    private static async Task<ApiClient.Answer> GuestMoveAsync(HttpClient guest, string? etag, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/guest/workflow/moves") { Content = JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }
        return await ApiClient.Read(await guest.SendAsync(request));
    }

    [GeneratedRegex("#guest=([A-Za-z0-9_-]+)")]
    private static partial Regex GuestToken();
}
