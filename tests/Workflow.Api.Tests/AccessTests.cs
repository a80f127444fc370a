using System.Net;
using System.Net.Http.Json;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>Who may see and move what: every route that takes an id, as every kind of caller; every move by the wrong party.</summary>
[Collection(SharedAzurite.Name)]
public sealed class AccessTests(Azurite azurite) : IAsyncLifetime
{
    private readonly ApiFactory _api = new(azurite);
    private readonly Dictionary<string, HttpClient> _as = [];

    public async Task InitializeAsync()
    {
        _as["customer"] = await _api.SignedInAsync("alice@contoso.test");
        _as["performer"] = await _api.SignedInAsync("bob@contoso.test");
        _as["same tenant"] = await _api.SignedInAsync("carol@contoso.test");
        _as["other tenant"] = await _api.SignedInAsync("mallory@fabrikam.test");
        _as["anonymous"] = _api.CreateClient();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("customer", HttpStatusCode.OK)]
    [InlineData("performer", HttpStatusCode.OK)]
    [InlineData("same tenant", HttpStatusCode.NotFound)]
    [InlineData("other tenant", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    public async Task Every_route_that_takes_an_id_answers_only_the_parties(string caller, HttpStatusCode expected)
    {
        var opened = await _as["customer"].OpenForBobAsync(source: new { key = "thread:access", kind = "message" }, start: "requested");
        var client = _as[caller];

        var answers = new Dictionary<string, HttpStatusCode>
        {
            ["get"] = (await client.GetAsync($"/api/workflows/{opened.Id}")).StatusCode,
            ["history"] = (await client.GetAsync($"/api/workflows/{opened.Id}/history")).StatusCode,
            ["move"] = (await client.MoveAsync(opened.Id, opened.ETag, new { move = "note", text = $"from {caller}" })).Status,
            ["link"] = (await client.PostAsJsonAsync("/api/items/event:access/workflows", new { workflowId = opened.Id, kind = "event" })).StatusCode,
            ["unlink"] = (await client.DeleteAsync($"/api/items/thread:access/workflows/{opened.Id}")).StatusCode,
            ["children"] = (await client.GetAsync($"/api/workflows/{opened.Id}/children")).StatusCode,
            ["tree"] = (await client.GetAsync($"/api/workflows/{opened.Id}/tree")).StatusCode,
            ["close children"] = (await client.PostAsync($"/api/workflows/{opened.Id}/children/close", null)).StatusCode,
        };

        Assert.All(answers, a => Assert.True(a.Value == expected, $"{a.Key} as {caller}: {a.Value}, expected {expected}"));
        var changes = (await _as["customer"].HistoryAsync(opened.Id)).Count - 3;
        Assert.Equal(expected == HttpStatusCode.OK ? 3 : 0, changes);
        if (expected != HttpStatusCode.OK && caller != "anonymous")
        {
            Assert.Empty((await client.GetJsonAsync("/api/items/thread:access/workflows")).Ids());
            Assert.DoesNotContain(opened.Id, (await client.GetJsonAsync("/api/workflows")).Ids());
        }
    }

    [Theory]
    [InlineData("performer", HttpStatusCode.OK, HttpStatusCode.OK)]
    [InlineData("customer", HttpStatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData("same tenant", HttpStatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData("other tenant", HttpStatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    public async Task A_role_is_seen_and_changed_only_by_its_holder_not_by_the_customer_of_its_cycles(string caller, HttpStatusCode sees, HttpStatusCode changes)
    {
        var created = await ApiClient.Read(await _as["performer"].PostAsJsonAsync("/api/roles", new
        {
            name = "Weekly numbers",
            accountabilities = new[] { new { concern = "Numbers", conditions = "The sheet", customer = "alice@contoso.test", schedule = "0 9 * * 1" } },
        }));
        var client = _as[caller];
        using var add = new HttpRequestMessage(HttpMethod.Post, $"/api/roles/{created.Id}/accountabilities")
        {
            Content = JsonContent.Create(new { concern = "More numbers", conditions = "Another sheet", customer = "alice@contoso.test", schedule = "0 9 * * 2" }),
        };
        add.Headers.TryAddWithoutValidation("If-Match", created.ETag);
        using var handover = new HttpRequestMessage(HttpMethod.Post, $"/api/roles/{created.Id}/handover") { Content = JsonContent.Create(new { to = "carol@contoso.test" }) };
        handover.Headers.TryAddWithoutValidation("If-Match", "\"99\"");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(sees, (await client.GetAsync($"/api/roles/{created.Id}")).StatusCode);
        Assert.Equal(changes, (await client.SendAsync(add)).StatusCode);
        // Stale for the holder (412: nothing handed over); not found for everyone else.
        Assert.Equal(changes == HttpStatusCode.OK ? HttpStatusCode.PreconditionFailed : changes, (await client.SendAsync(handover)).StatusCode);
    }

    private static readonly string[] AliceOnly = ["alice@contoso.test"];

    [Theory]
    [InlineData("performer", HttpStatusCode.OK, HttpStatusCode.OK)]
    [InlineData("customer", HttpStatusCode.NotFound, HttpStatusCode.OK)]
    [InlineData("same tenant", HttpStatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData("other tenant", HttpStatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    public async Task A_team_is_seen_only_by_those_who_opted_in_and_answered_only_by_those_named_in_it(string caller, HttpStatusCode sees, HttpStatusCode answers)
    {
        // Bob creates it (opted in), naming Alice (the "customer" here), who has not answered yet.
        var created = await ApiClient.Read(await _as["performer"].PostAsJsonAsync("/api/teams", new { name = "Platform", members = AliceOnly }));
        var client = _as[caller];

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(sees, (await client.GetAsync($"/api/teams/{created.Id}")).StatusCode);
        Assert.Equal(answers, (await client.PutAsJsonAsync($"/api/teams/{created.Id}/membership", new { optIn = false })).StatusCode);
    }

    [Theory]
    [InlineData("performer", HttpStatusCode.NotFound)] // Bob, not in the Design review group
    [InlineData("customer", HttpStatusCode.Created)] // Alice, in it
    [InlineData("same tenant", HttpStatusCode.Created)] // Carol, in it too
    [InlineData("other tenant", HttpStatusCode.NotFound)] // Mallory: another organisation's directory
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    public async Task A_directory_groups_team_is_made_only_by_someone_in_the_group(string caller, HttpStatusCode made)
    {
        var answer = await _as[caller].PostAsJsonAsync("/api/teams", new { group = "0a0a0a0a-0000-0000-0000-00000000d002" });

        Assert.Equal(made, answer.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/workflows/not-a-workflow")]
    [InlineData("GET", "/api/workflows/0123456789ABCDEF0123456789ABCDEF/history")]
    [InlineData("POST", "/api/workflows/0123456789abcdef0123456789abcdef0/moves")]
    [InlineData("GET", "/api/workflows/0123456789ABCDEF0123456789ABCDEF/tree")]
    [InlineData("POST", "/api/workflows/..%2F0123456789abcdef0123456789abcdef/children")]
    [InlineData("DELETE", "/api/items/thread:x/workflows/..%2F..%2Fme")]
    public async Task An_id_that_cannot_be_a_workflow_is_answered_as_one_that_is_not_yours(string method, string path)
    {
        var opened = await _as["customer"].OpenForBobAsync();
        var notYours = await _as["same tenant"].GetAsync($"/api/workflows/{opened.Id}");

        var answer = await _as["same tenant"].SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var expected = System.Text.Json.Nodes.JsonNode.Parse(await notYours.Content.ReadAsStringAsync())!;
        var actual = System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal((expected["type"]!.GetValue<string>(), expected["title"]!.GetValue<string>(), expected["detail"]!.GetValue<string>()),
            (actual["type"]!.GetValue<string>(), actual["title"]!.GetValue<string>(), actual["detail"]!.GetValue<string>()));
    }

    /// <summary>Each move the table gives to one party, tried by the other, in a state where it exists.</summary>
    public static TheoryData<string, string, string> WrongPartyMoves => new()
    {
        { "draft", "customer", "offer" },
        { "requested", "customer", "promise" },
        { "requested", "customer", "counter" },
        { "requested", "customer", "decline" },
        { "requested", "customer", "commitToCommit" },
        { "requested", "performer", "withdraw" },
        { "requested", "performer", "nudge" },
        { "countered", "performer", "accept" },
        { "countered", "performer", "decline" },
        { "countered", "customer", "withdraw" },
        { "promised", "customer", "reportComplete" },
        { "promised", "customer", "renege" },
        { "promised", "customer", "reportProgress" },
        { "promised", "performer", "cancel" },
        { "promised", "performer", "checkIn" },
        { "renegotiating", "customer", "acceptChange" },
        { "renegotiating", "customer", "rejectChange" },
        { "renegotiating", "performer", "withdrawChange" },
        { "reported", "performer", "declareSatisfied" },
        { "reported", "performer", "declareNotSatisfied" },
        { "reported", "performer", "cancel" },
    };

    [Theory]
    [MemberData(nameof(WrongPartyMoves))]
    public async Task A_move_by_the_party_the_table_does_not_name_is_409_and_changes_nothing(string state, string party, string move)
    {
        var (id, etag) = await ReachAsync(state);
        var before = (await _as["customer"].HistoryAsync(id)).Count;

        var refused = await _as[party].MoveAsync(id, etag, new { move, text = "not mine to make", conditions = "x", dueBy = DateTimeOffset.UtcNow.AddDays(9), replyBy = DateTimeOffset.UtcNow.AddDays(1) });

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.EndsWith("/not-your-move", refused.ProblemType);
        Assert.Contains($"'{move}'", refused.Detail);
        Assert.Contains(party, refused.Detail);
        Assert.Equal(before, (await _as["customer"].HistoryAsync(id)).Count);
    }

    [Fact]
    public async Task Server_owned_fields_sent_when_opening_are_refused_and_nothing_is_stored()
    {
        foreach (var field in new[] { "id", "state", "version", "openedAt", "customerUser", "links" })
        {
            var body = $"{{\"concern\":\"Sneaky\",\"customer\":\"me\",\"performer\":\"bob@contoso.test\",\"{field}\":\"x\"}}";
            Assert.Equal(HttpStatusCode.BadRequest, (await _as["customer"].PostRawAsync("/api/workflows", body)).Status);
        }
        Assert.Empty((await _as["customer"].GetJsonAsync("/api/workflows")).Ids());
    }

    private async Task<(string Id, string ETag)> ReachAsync(string state)
    {
        var customer = _as["customer"];
        var performer = _as["performer"];
        var w = await customer.OpenForBobAsync($"Reach {state}");
        var steps = state switch
        {
            "draft" => [],
            "requested" => [(customer, (object)new { move = "request" })],
            "countered" => [(customer, new { move = "request" }), (performer, new { move = "counter", conditions = "Less" })],
            "promised" => [(customer, new { move = "request" }), (performer, new { move = "promise" })],
            "renegotiating" => [(customer, new { move = "request" }), (performer, new { move = "promise" }), (customer, new { move = "proposeChange", conditions = "More" })],
            "reported" => new (HttpClient, object)[] { (customer, new { move = "request" }), (performer, new { move = "promise" }), (performer, new { move = "reportComplete" }) },
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
        var etag = w.ETag!;
        foreach (var (who, body) in steps)
        {
            var moved = await who.MoveAsync(w.Id, etag, body);
            Assert.True(moved.Status == HttpStatusCode.OK, moved.ToString());
            etag = moved.ETag!;
        }
        return (w.Id, etag);
    }

    [Theory]
    [InlineData("anonymous", "GET", "/api/me/export")]
    [InlineData("anonymous", "DELETE", "/api/me")]
    public async Task Exporting_or_deleting_a_person_needs_them_signed_in(string caller, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "DELETE" ? JsonContent.Create(new { confirm = "delete my data" }) : null,
        };

        Assert.Equal(HttpStatusCode.Unauthorized, (await _as[caller].SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Deleting_myself_never_touches_a_workflow_between_others()
    {
        var theirs = await _as["customer"].OpenForBobAsync(start: "requested");
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { confirm = "delete my data" }) };

        Assert.Equal(HttpStatusCode.OK, (await _as["same tenant"].SendAsync(request)).StatusCode);

        var seen = await _as["performer"].GetJsonAsync($"/api/workflows/{theirs.Id}");
        Assert.Equal("Alice Archer", seen.Body!["customer"]!["displayName"]!.GetValue<string>());
        Assert.Equal(theirs.Version, seen.Version);
    }
}
