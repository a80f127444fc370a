using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// A meeting every attendee shares: the same purpose for all, each attendee's own workflows only (others counted,
/// never shown), an occurrence's own purpose over the series', the agenda its purpose calls for with the people in the
/// room, and the moves made in it as its outcomes — from Alice's side, Bob's, and Carol's, who is in the room too.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class MeetingApiTests(Azurite azurite) : IAsyncLifetime
{
    private const string Standup = "event:teams:19:meeting_standup@thread.v2";
    private static readonly string Path = "/api/meetings/" + Uri.EscapeDataString(Standup);

    private readonly ApiFactory _api = new(azurite);
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;
    private HttpClient _carol = null!;

    public async Task InitializeAsync()
    {
        _alice = await _api.SignedInAsync("alice@contoso.test");
        _bob = await _api.SignedInAsync("bob@contoso.test");
        _carol = await _api.SignedInAsync("carol@contoso.test");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static async Task<ApiClient.Answer> PutAsync(HttpClient client, string path, object body) =>
        await ApiClient.Read(await client.PutAsJsonAsync(path, body));

    private static string? Purpose(ApiClient.Answer meeting) => meeting.Body!["purpose"]?.GetValue<string>();

    private static string[] Ids(JsonNode? items) => [.. items!.AsArray().Select(i => i!["id"]!.GetValue<string>())];

    [Fact]
    public async Task Every_attendee_sees_the_same_purpose_and_only_their_own_linked_workflows()
    {
        var alicesAndBobs = await _alice.OpenForBobAsync("Plan the launch", start: "requested");
        var carolsAndBobs = await _carol.OpenAsync(new
        {
            concern = "Book the venue", customer = "me", performer = "bob@contoso.test", conditions = "For 40", dueBy = DateTimeOffset.UtcNow.AddDays(9), start = "requested",
        });
        foreach (var (client, id) in new[] { (_alice, alicesAndBobs.Id), (_carol, carolsAndBobs.Id) })
        {
            var linked = await ApiClient.Read(await client.PostAsJsonAsync($"/api/items/{Uri.EscapeDataString(Standup)}/workflows",
                new { workflowId = id, kind = "event", subject = "Stand-up" }));
            Assert.Equal(HttpStatusCode.OK, linked.Status);
        }

        var set = await PutAsync(_alice, Path + "/purpose", new { purpose = "Q2" });
        Assert.Equal((HttpStatusCode.OK, "Q2", "meeting"), (set.Status, Purpose(set), set.Body!["purposeSetFor"]!.GetValue<string>()));

        var asBob = await _bob.GetJsonAsync(Path);
        var asCarol = await _carol.GetJsonAsync(Path);
        var asAlice = await _alice.GetJsonAsync(Path);
        Assert.All(new[] { asBob, asCarol, asAlice }, m => Assert.Equal("Q2", Purpose(m)));
        // Bob is a party of both; Alice and Carol each of their own, and are told only that one more is linked.
        Assert.Equal(new[] { alicesAndBobs.Id, carolsAndBobs.Id }.Order(), Ids(asBob.Body!["workflows"]).Order());
        Assert.Equal(0, asBob.Body["othersLinked"]!.GetValue<int>());
        Assert.Equal([alicesAndBobs.Id], Ids(asAlice.Body!["workflows"]));
        Assert.Equal(1, asAlice.Body["othersLinked"]!.GetValue<int>());
        Assert.Equal([carolsAndBobs.Id], Ids(asCarol.Body!["workflows"]));
        Assert.Equal(1, asCarol.Body["othersLinked"]!.GetValue<int>());
        Assert.DoesNotContain("Plan the launch", asCarol.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_occurrence_of_a_recurring_meeting_can_have_its_own_purpose_and_clearing_it_brings_back_the_series()
    {
        const string weekly = "event:teams:19:meeting_weekly@thread.v2";
        var path = "/api/meetings/" + Uri.EscapeDataString(weekly);
        await PutAsync(_alice, path + "/purpose", new { purpose = "Q3" });

        var review = await PutAsync(_bob, path + "/purpose", new { purpose = "Q4", on = "2026-12-11" });

        Assert.Equal(("Q4", "occurrence"), (Purpose(review), review.Body!["purposeSetFor"]!.GetValue<string>()));
        Assert.Equal("Q3", Purpose(await _alice.GetJsonAsync(path + "?on=2026-12-04")));
        Assert.Equal("Q4", Purpose(await _alice.GetJsonAsync(path + "?on=2026-12-11")));
        Assert.Equal("Q3", Purpose(await _alice.GetJsonAsync(path)));

        await PutAsync(_bob, path + "/purpose", new { purpose = (string?)null, on = "2026-12-11" });
        Assert.Equal("Q3", Purpose(await _alice.GetJsonAsync(path + "?on=2026-12-11")));
    }

    [Fact]
    public async Task Moves_made_in_the_meeting_are_its_outcomes_for_their_parties_only()
    {
        const string review = "event:AAMkReviewMeeting-0001";
        var path = "/api/meetings/" + Uri.EscapeDataString(review);
        var asked = await _alice.OpenForBobAsync("Draft the Q1 plan", start: "requested");
        var asBob = await _bob.GetJsonAsync($"/api/workflows/{asked.Id}");

        var promised = await _bob.MoveAsync(asked.Id, asBob.ETag, new
        {
            move = "promise", meeting = review, on = "2026-12-07",
        });
        Assert.Equal((HttpStatusCode.OK, "promised"), (promised.Status, promised.State));
        // The history says where it was promised.
        var history = await _alice.HistoryAsync(asked.Id);
        Assert.Equal(review, history[^1]!["details"]!["inMeeting"]!["key"]!.GetValue<string>());

        foreach (var party in new[] { _alice, _bob })
        {
            var outcome = Assert.Single((await party.GetJsonAsync(path + "?on=2026-12-07")).Body!["outcomes"]!.AsArray())!;
            Assert.Equal((asked.Id, "Promised", "performer", "2026-12-07"),
                (outcome["workflowId"]!.GetValue<string>(), outcome["event"]!.GetValue<string>(), outcome["by"]!.GetValue<string>(), outcome["on"]!.GetValue<string>()));
            Assert.Equal("promised", outcome["words"]!.GetValue<string>());
        }
        Assert.Empty((await _alice.GetJsonAsync(path + "?on=2026-12-14")).Body!["outcomes"]!.AsArray());
        Assert.Empty((await _carol.GetJsonAsync(path + "?on=2026-12-07")).Body!["outcomes"]!.AsArray());
    }

    [Fact]
    public async Task The_agenda_lists_what_the_purpose_calls_for_between_the_people_in_the_room()
    {
        const string negotiation = "event:AAMkNegotiation-0002";
        var path = "/api/meetings/" + Uri.EscapeDataString(negotiation);
        var requested = await _alice.OpenForBobAsync("Price the renewal", start: "requested");
        var drafted = await _alice.OpenForBobAsync("Someday: a new logo");
        var withCarol = await _alice.OpenAsync(new
        {
            concern = "Order chairs", customer = "me", performer = "carol@contoso.test", conditions = "40", dueBy = DateTimeOffset.UtcNow.AddDays(9), start = "requested",
        });

        var unset = await _alice.GetJsonAsync(path + "/agenda?with=bob%40contoso.test");
        Assert.Equal((HttpStatusCode.OK, 0), (unset.Status, unset.Body!["items"]!.AsArray().Count));

        await PutAsync(_bob, path + "/purpose", new { purpose = "Q2" });
        var withBob = await _alice.GetJsonAsync(path + "/agenda?with=Bob%40Contoso.test");
        Assert.Equal([requested.Id], Ids(withBob.Body!["items"]));
        Assert.True(withBob.Body["attendeesKnown"]!.GetValue<bool>());
        Assert.DoesNotContain(drafted.Id, Ids(withBob.Body["items"]));
        var bothInRoom = await _alice.GetJsonAsync(path + "/agenda?with=bob%40contoso.test&with=carol%40contoso.test");
        Assert.Equal(new[] { requested.Id, withCarol.Id }.Order(), Ids(bothInRoom.Body!["items"]).Order());
        // Bob's own agenda for the same meeting: the request waits on him.
        Assert.Equal([requested.Id], Ids((await _bob.GetJsonAsync(path + "/agenda?with=alice%40contoso.test")).Body!["items"]));
    }

    [Fact]
    public async Task A_listening_meeting_has_the_drafts_and_the_offers_not_yet_answered_and_a_negotiation_does_not()
    {
        const string listen = "event:AAMkListening-0003";
        var path = "/api/meetings/" + Uri.EscapeDataString(listen);
        var draft = await _bob.OpenAsync(new { concern = "A dashboard for sales", customer = "alice@contoso.test", performer = "me" });
        var offer = await _bob.OpenAsync(new { concern = "Quarterly numbers, automated", customer = "alice@contoso.test", performer = "me" });
        var offered = await _bob.MoveAsync(offer.Id, offer.ETag, new
        {
            move = "offer", conditions = "A report every quarter", dueBy = DateTimeOffset.UtcNow.AddDays(20),
        });
        Assert.Equal((HttpStatusCode.OK, "countered"), (offered.Status, offered.State));

        await PutAsync(_bob, path + "/purpose", new { purpose = "Q1" });
        var q1 = await _bob.GetJsonAsync(path + "/agenda?with=alice%40contoso.test");
        Assert.Equal(new[] { draft.Id, offer.Id }.Order(), Ids(q1.Body!["items"]).Order());
        // Alice sees the offer made to her (the draft is Bob's alone).
        Assert.Equal([offer.Id], Ids((await _alice.GetJsonAsync(path + "/agenda?with=bob%40contoso.test")).Body!["items"]));

        await PutAsync(_bob, path + "/purpose", new { purpose = "Q2" });
        Assert.Empty((await _bob.GetJsonAsync(path + "/agenda?with=alice%40contoso.test")).Body!["items"]!.AsArray());
    }

    [Theory]
    [InlineData("/api/meetings/thread%3AAAQk/purpose", """{"purpose":"Q2"}""")]
    [InlineData("/api/meetings/event%3Ax/purpose", """{"purpose":"Q5"}""")]
    [InlineData("/api/meetings/event%3Ax/purpose", """{"purpose":"closed"}""")]
    [InlineData("/api/meetings/event%3Ax/purpose", """{"purpose":"Q2","on":"1999-01-01"}""")]
    [InlineData("/api/meetings/event%3Ax/purpose", """{"purpose":"Q2","on":"tomorrow"}""")]
    public async Task A_bad_purpose_or_key_is_refused_and_changes_nothing(string path, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var answer = await ApiClient.Read(await _alice.PutAsync(path, content));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Null((await _alice.GetJsonAsync("/api/meetings/event%3Ax")).Body!["purpose"]);
    }

    [Fact]
    public async Task A_move_names_a_meeting_by_its_key_and_an_occurrence_only_with_one()
    {
        var asked = await _alice.OpenForBobAsync(start: "requested");
        var asBob = await _bob.GetJsonAsync($"/api/workflows/{asked.Id}");

        var notAMeeting = await _bob.MoveAsync(asked.Id, asBob.ETag, new { move = "promise", meeting = "thread:AAQk" });
        var dateAlone = await _bob.MoveAsync(asked.Id, asBob.ETag, new { move = "promise", on = "2026-12-07" });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (notAMeeting.Status, dateAlone.Status));
        Assert.Equal("requested", (await _bob.GetJsonAsync($"/api/workflows/{asked.Id}")).State);
    }
}
