using System.Net;
using System.Net.Http.Json;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// From both parties' side: a request or promise recorded from a mail, a draft that stays its opener's alone, what
/// is shown as proposed to you, and the customer's nudge.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class ConversationStartTests(Azurite azurite) : IAsyncLifetime
{
    private readonly ApiFactory _api = new(azurite);
    /// <summary>One due date for the whole test, so a retried open is the same request.</summary>
    private readonly DateTimeOffset _dueBy = DateTimeOffset.UtcNow.AddDays(7);
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;

    public async Task InitializeAsync()
    {
        _alice = await _api.SignedInAsync("alice@contoso.test");
        _bob = await _api.SignedInAsync("bob@contoso.test");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>Bob (performer) opens for Alice (customer): "she asked me" — and perhaps "… and I promise".</summary>
    private Task<ApiClient.Answer> BobRecordsAsync(string start, object? source = null, string? key = null) =>
        _bob.OpenAsync(new
        {
            concern = "Review the Q3 budget", customer = "alice@contoso.test", performer = "me",
            conditions = "Comments on every line over 10k", dueBy = _dueBy, start, source,
        }, key);

    private static string[] Events(System.Text.Json.Nodes.JsonArray history) => [.. history.Select(e => e!["event"]!.GetValue<string>())];

    private static bool ProposedToYou(ApiClient.Answer answer) => answer.Body!["proposedToYou"]!.GetValue<bool>();

    [Fact]
    public async Task A_performer_records_a_request_from_a_mail_and_the_customer_sees_it_proposed_and_may_withdraw_it()
    {
        var recorded = await BobRecordsAsync("requested", new { key = "thread:she-asked-me", kind = "message", subject = "Budget?" });

        Assert.Equal((HttpStatusCode.Created, "requested"), (recorded.Status, recorded.State));
        Assert.False(ProposedToYou(recorded));
        var asAlice = await _alice.GetJsonAsync($"/api/workflows/{recorded.Id}");
        Assert.Equal(("customer", true), (asAlice.Body!["yourRole"]!.GetValue<string>(), ProposedToYou(asAlice)));
        Assert.Equal(["withdraw", "nudge", "note", "markObjective"], asAlice.AvailableMoves);
        Assert.Equal(["workflowOpened", "itemLinked", "requestRecorded"], Events(await _alice.HistoryAsync(recorded.Id)));
        Assert.Equal("performer", (await _alice.HistoryAsync(recorded.Id))[2]!["by"]!.GetValue<string>());
        Assert.Equal([recorded.Id], (await _alice.GetJsonAsync("/api/items/thread%3Ashe-asked-me/workflows")).Ids());
        var line = (await _alice.GetJsonAsync("/api/workflows?view=owedToMe")).Body!["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == recorded.Id)!;
        Assert.True(line["proposedToYou"]!.GetValue<bool>());

        var withdrawn = await _alice.MoveAsync(recorded.Id, asAlice.ETag, new { move = "withdraw", text = "I never asked for that" });

        Assert.Equal(("declined", false), (withdrawn.State, ProposedToYou(withdrawn)));
    }

    [Fact]
    public async Task A_performer_records_the_request_and_promises_in_one_step_and_the_customer_may_propose_a_change_or_cancel()
    {
        var promised = await BobRecordsAsync("promised");

        Assert.Equal("promised", promised.State);
        Assert.Equal(["workflowOpened", "requestRecorded", "promised"], Events(await _bob.HistoryAsync(promised.Id)));
        var asAlice = await _alice.GetJsonAsync($"/api/workflows/{promised.Id}");
        Assert.True(ProposedToYou(asAlice));
        Assert.Contains("proposeChange", asAlice.AvailableMoves);
        Assert.Contains("cancel", asAlice.AvailableMoves);

        var change = await _alice.MoveAsync(promised.Id, asAlice.ETag, new { move = "proposeChange", dueBy = DateTimeOffset.UtcNow.AddDays(3) });
        Assert.Equal("renegotiating", change.State);
        var cancelled = await _alice.MoveAsync(promised.Id, change.ETag, new { move = "cancel" });
        Assert.Equal("cancelled", cancelled.State);
    }

    [Fact]
    public async Task A_customer_records_a_promise_made_to_them_and_the_performer_may_dispute_it_or_renege()
    {
        var recorded = await _alice.OpenForBobAsync(start: "promised");

        Assert.Equal("promised", recorded.State);
        Assert.Equal(["workflowOpened", "promiseRecorded"], Events(await _alice.HistoryAsync(recorded.Id)));
        var asBob = await _bob.GetJsonAsync($"/api/workflows/{recorded.Id}");
        Assert.True(ProposedToYou(asBob));
        Assert.Equal(["reportComplete", "renege", "proposeChange", "reportProgress", "note"], asBob.AvailableMoves);

        var disputed = await _bob.MoveAsync(recorded.Id, asBob.ETag, new { move = "proposeChange", conditions = "Comments on the top ten lines" });
        Assert.Equal(("renegotiating", false), (disputed.State, ProposedToYou(disputed)));
        var reneged = await _bob.MoveAsync(recorded.Id, disputed.ETag, new { move = "renege", text = "I never promised that" });
        Assert.Equal("reneged", reneged.State);
    }

    [Fact]
    public async Task A_customer_who_opens_as_requested_has_asked_at_once()
    {
        var asked = await _alice.OpenForBobAsync(start: "requested");

        Assert.Equal("requested", asked.State);
        Assert.Equal(["workflowOpened", "requested"], Events(await _alice.HistoryAsync(asked.Id)));
        Assert.Contains("promise", (await _bob.GetJsonAsync($"/api/workflows/{asked.Id}")).AvailableMoves);
    }

    [Theory]
    [InlineData("{\"start\":\"requested\"}")]
    [InlineData("{\"start\":\"promised\",\"conditions\":\"Slides\"}")]
    [InlineData("{\"start\":\"promised\",\"conditions\":\"Slides\",\"dueBy\":\"2099-01-01T00:00:00Z\",\"replyBy\":\"2098-01-01T00:00:00Z\"}")]
    [InlineData("{\"start\":\"requested\",\"conditions\":\"Slides\",\"dueBy\":\"2099-01-01T00:00:00Z\",\"replyBy\":\"2001-01-01T00:00:00Z\"}")]
    [InlineData("{\"start\":\"later\",\"conditions\":\"Slides\",\"dueBy\":\"2099-01-01T00:00:00Z\"}")]
    public async Task A_start_without_its_terms_or_with_a_reply_by_it_does_not_take_is_400_and_opens_nothing(string extra)
    {
        var body = "{\"concern\":\"Slides\",\"customer\":\"alice@contoso.test\",\"performer\":\"me\"," + extra[1..];

        var refused = await _bob.PostRawAsync("/api/workflows", body);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Empty((await _bob.GetJsonAsync("/api/workflows")).Ids());
    }

    [Theory]
    [InlineData("draft")]
    [InlineData("requested")]
    [InlineData("promised")]
    public async Task An_open_retried_with_its_idempotency_key_is_answered_with_the_same_workflow_for_every_start(string start)
    {
        var first = await BobRecordsAsync(start, key: $"record-{start}");
        var retry = await BobRecordsAsync(start, key: $"record-{start}");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.Status, retry.Status));
        Assert.Equal((first.Id, first.Version, first.State), (retry.Id, retry.Version, retry.State));
        Assert.Equal(first.Version, (await _bob.HistoryAsync(first.Id)).Count);
    }

    [Fact]
    public async Task A_draft_is_its_openers_alone_until_it_is_sent_then_both_see_it()
    {
        var draft = await _alice.OpenForBobAsync(source: new { key = "thread:draft-only", kind = "message" });

        Assert.Equal(HttpStatusCode.NotFound, (await _bob.GetJsonAsync($"/api/workflows/{draft.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _bob.GetAsync($"/api/workflows/{draft.Id}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _bob.MoveAsync(draft.Id, draft.ETag, new { move = "note", text = "Seen it" })).Status);
        Assert.Equal(HttpStatusCode.NotFound,
            (await _bob.PostAsJsonAsync("/api/items/thread:bobs/workflows", new { workflowId = draft.Id, kind = "message" })).StatusCode);
        Assert.DoesNotContain(draft.Id, (await _bob.GetJsonAsync("/api/workflows")).Ids());
        Assert.Empty((await _bob.GetJsonAsync("/api/items/thread:draft-only/workflows")).Ids());
        Assert.Equal([draft.Id], (await _alice.GetJsonAsync("/api/items/thread:draft-only/workflows")).Ids());
        Assert.Equal(2, (await _alice.GetJsonAsync($"/api/workflows/{draft.Id}")).Version); // opened and linked: nothing of Bob's landed

        var asked = await _alice.MoveAsync(draft.Id, draft.ETag, new { move = "request" });

        Assert.Equal(HttpStatusCode.OK, (await _bob.GetJsonAsync($"/api/workflows/{draft.Id}")).Status);
        Assert.Contains(draft.Id, (await _bob.GetJsonAsync("/api/workflows?view=iOwe")).Ids());
        Assert.Equal([draft.Id], (await _bob.GetJsonAsync("/api/items/thread:draft-only/workflows")).Ids());
        Assert.Equal(asked.Version, (await _bob.HistoryAsync(draft.Id)).Count);
    }

    [Fact]
    public async Task A_performers_draft_is_hidden_from_the_customer_until_offered()
    {
        var draft = await BobRecordsAsync("draft");

        Assert.Equal(HttpStatusCode.NotFound, (await _alice.GetJsonAsync($"/api/workflows/{draft.Id}")).Status);
        Assert.DoesNotContain(draft.Id, (await _alice.GetJsonAsync("/api/workflows?view=owedToMe")).Ids());

        await _bob.MoveAsync(draft.Id, draft.ETag, new { move = "offer" });

        var asAlice = await _alice.GetJsonAsync($"/api/workflows/{draft.Id}");
        Assert.Equal(("countered", true), (asAlice.State, ProposedToYou(asAlice)));
        Assert.Contains(draft.Id, (await _alice.GetJsonAsync("/api/workflows?view=owedToMe")).Ids());
    }

    [Fact]
    public async Task A_note_from_the_recipient_ends_proposed_to_you_in_the_view_and_the_list()
    {
        var asked = await _alice.OpenForBobAsync(start: "requested");
        var asBob = await _bob.GetJsonAsync($"/api/workflows/{asked.Id}");
        Assert.True(ProposedToYou(asBob));

        await _bob.MoveAsync(asked.Id, asBob.ETag, new { move = "note", text = "Looking at it" });

        Assert.False(ProposedToYou(await _bob.GetJsonAsync($"/api/workflows/{asked.Id}")));
        var line = (await _bob.GetJsonAsync("/api/workflows?view=iOwe")).Body!["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == asked.Id)!;
        Assert.False(line["proposedToYou"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_customer_nudges_once_a_day_extending_the_reply_by_and_a_second_nudge_is_409_naming_when()
    {
        var asked = await _alice.OpenForBobAsync(start: "requested");
        var extended = DateTimeOffset.UtcNow.AddDays(5);

        var nudged = await _alice.MoveAsync(asked.Id, asked.ETag, new { move = "nudge", replyBy = extended, text = "Any news?" });

        Assert.Equal(("requested", asked.Version + 1), (nudged.State, nudged.Version));
        Assert.Equal(extended, nudged.Body!["clocks"]!["replyBy"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain("nudge", nudged.AvailableMoves);
        Assert.Equal("nudged", Events(await _bob.HistoryAsync(asked.Id))[^1]);

        var again = await _alice.MoveAsync(asked.Id, nudged.ETag, new { move = "nudge" });

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.EndsWith("/move-not-allowed", again.ProblemType);
        Assert.Contains("the next is possible at", again.Detail);
        Assert.Equal(nudged.Version, (await _alice.HistoryAsync(asked.Id)).Count);
    }

    [Fact]
    public async Task Only_the_customer_nudges_and_a_nudge_cannot_shorten_the_reply_by()
    {
        var asked = await _alice.OpenForBobAsync(start: "requested");

        var byBob = await _bob.MoveAsync(asked.Id, asked.ETag, new { move = "nudge" });
        var shorter = await _alice.MoveAsync(asked.Id, asked.ETag, new { move = "nudge", replyBy = DateTimeOffset.UtcNow.AddHours(1) });

        Assert.Equal((HttpStatusCode.Conflict, "/not-your-move"), (byBob.Status, byBob.ProblemType![^14..]));
        Assert.Equal(HttpStatusCode.BadRequest, shorter.Status);
        Assert.Equal(asked.Version, (await _alice.HistoryAsync(asked.Id)).Count);
    }
}
