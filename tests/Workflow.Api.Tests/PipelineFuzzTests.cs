using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// Fuzzing through the real HTTP pipeline: the built handler behind <see cref="FunctionsHostStub"/>, which decodes and
/// normalises paths exactly as the Functions host does, then Kestrel, routing and binding as in Azure. Every route —
/// the mailbox, the review, preferences, the timer's and the readiness probe's paths, the development sign-in — gets
/// malformed requests and hostile path spellings: zero 5xx, every refusal a problem, nothing stored changed. Hostile
/// strings inside otherwise valid bodies are stored and read back exactly, or refused with a 4xx.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class PipelineFuzzTests(Azurite azurite) : IAsyncLifetime
{
    private const string PublicHost = "workflow-func-abc123.azurewebsites.net";
    private readonly string _tablePrefix = "z" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _outbox = Directory.CreateTempSubdirectory("outbox-").FullName;
    private HandlerProcess _handler = null!;
    private FunctionsHostStub _host = null!;
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;
    private HttpClient _mallory = null!;
    private HttpClient _anonymous = null!;
    private string _id = "";
    private string _closedId = "";

    public async Task InitializeAsync()
    {
        _handler = new HandlerProcess(azurite, _tablePrefix, new Dictionary<string, string> { ["Mail__OutboxPath"] = _outbox });
        await _handler.StartAsync();
        _host = await FunctionsHostStub.StartAsync(_handler.Port);
        // Tokens from the local sign-in (loopback only); every request after that goes through the host.
        _alice = await PublicClientAsync("alice@contoso.test");
        _bob = await PublicClientAsync("bob@contoso.test");
        _mallory = await PublicClientAsync("mallory@fabrikam.test");
        _anonymous = await PublicClientAsync(null);

        var opened = await _alice.OpenForBobAsync(source: new { key = "thread:fuzz", kind = "message", subject = "Fuzz" });
        var asked = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        await _bob.MoveAsync(opened.Id, asked.ETag, new { move = "promise" });
        _id = opened.Id;
        var closed = await _alice.OpenForBobAsync("closed one");
        await _alice.MoveAsync(closed.Id, closed.ETag, new { move = "withdraw" });
        _closedId = closed.Id;
        using var preferences = new HttpRequestMessage(HttpMethod.Put, "/api/me/preferences") { Content = JsonContent("""{"timeZone":"Europe/Berlin"}""") };
        Assert.Equal(HttpStatusCode.NoContent, (await _alice.SendAsync(preferences)).StatusCode);
        // Reading one's list waits for the index, so the snapshot below is not disturbed by the projector.
        Assert.Equal(HttpStatusCode.OK, (await _bob.GetJsonAsync("/api/workflows")).Status);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in new[] { _alice, _bob, _mallory, _anonymous })
        {
            client?.Dispose();
        }
        await _host.DisposeAsync();
        await _handler.DisposeAsync();
        Directory.Delete(_outbox, recursive: true);
    }

    [Fact]
    public async Task Malformed_requests_to_every_route_through_the_host_get_4xx_problems_and_change_nothing()
    {
        await StorageSnapshot.SettleAsync(azurite, _tablePrefix);
        var before = await StorageSnapshot.TakeAsync(azurite, _tablePrefix);
        var fuzzer = new RequestFuzzer(_alice, _mallory, _anonymous, _id, _closedId, 20261204);

        // 3,000: with the figures and teams routes (issue 15) in the generator, 1,500 no longer reached a stale If-Match (412).
        var (failures, statuses) = await fuzzer.RunAsync(3000, () => OtherRoutes(fuzzer), answeredByTheHandler: OurCodeAnswered);

        Assert.True(failures.Count == 0, $"{failures.Count} bad answers, e.g.:\n{string.Join("\n", failures.Take(15))}\nHost stub: {string.Join("\n", _host.Errors.Take(5))}");
        Assert.True(RequestFuzzer.ExpectedRefusals.All(statuses.Contains), "Statuses seen: " + string.Join(", ", statuses.Order()));
        Assert.Equal(before, await StorageSnapshot.TakeAsync(azurite, _tablePrefix));
        Assert.Empty(Directory.GetFiles(_outbox, "*.eml"));
    }

    /// <summary>
    /// Whether the answer came from our code: not from the host, and not from Kestrel refusing a request line before
    /// any middleware runs (a path that decodes to NUL: an empty 400, which no application code can shape).
    /// </summary>
    private static bool OurCodeAnswered(HttpResponseMessage response) =>
        response.Headers.Contains(FunctionsHostStub.ForwardedMarker)
        && !(response.StatusCode == HttpStatusCode.BadRequest && response.Content.Headers.ContentLength == 0
            && response.Content.Headers.ContentType is null && response.RequestMessage?.RequestUri?.OriginalString.Contains("%2500", StringComparison.Ordinal) == true);

    public static TheoryData<int> HostileTexts => [.. Enumerable.Range(0, RequestFuzzer.HostileStrings.Length)];

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task Hostile_text_inside_a_valid_body_is_stored_and_read_back_exactly_or_refused(int which)
    {
        // As a JSON client can send it: a lone surrogate has no UTF-8 form, and is sent as U+FFFD.
        var text = System.Text.Json.JsonSerializer.Deserialize<string>(System.Text.Json.JsonSerializer.Serialize(RequestFuzzer.HostileStrings[which]))!;
        var opened = await _alice.OpenAsync(new
        {
            concern = "Hostile " + text,
            customer = "me",
            performer = "bob@contoso.test",
            conditions = text,
            dueBy = DateTimeOffset.UtcNow.AddDays(7),
            // Asked at once: a draft would be Alice's alone, and Bob reads it back below.
            start = "requested",
            source = new { key = "thread:" + text, kind = "message", subject = text },
        });
        Assert.True((int)opened.Status < 500, opened.ToString());
        if (opened.Status != HttpStatusCode.Created)
        {
            // Refused as a whole: a problem, and nothing for anyone.
            Assert.InRange((int)opened.Status, 400, 499);
            Assert.NotNull(opened.ProblemType);
            return;
        }

        var read = await _bob.GetJsonAsync($"/api/workflows/{opened.Id}");
        // The concern is stored trimmed, as typed otherwise.
        Assert.Equal((("Hostile " + text).Trim(), text), (read.Body!["concern"]!.GetValue<string>(),
            read.Body["terms"]?["proposed"]?["conditions"]?.GetValue<string>() ?? read.Body["terms"]?["promised"]?["conditions"]?.GetValue<string>() ?? ""));
        var noted = await _bob.MoveAsync(opened.Id, read.ETag, new { move = "note", text });
        Assert.True((int)noted.Status is 200 or (>= 400 and < 500), noted.ToString());
        if (noted.Status == HttpStatusCode.OK)
        {
            Assert.Equal(text, (await _alice.HistoryAsync(opened.Id)).Last()!["details"]!["text"]!.GetValue<string>());
        }
        // Only its parties see it: the text cannot widen a query.
        Assert.Equal(HttpStatusCode.NotFound, (await _mallory.GetJsonAsync($"/api/workflows/{opened.Id}")).Status);
        Assert.Empty((await _mallory.GetJsonAsync("/api/workflows?view=all")).Body!["items"]!.AsArray());
    }

    /// <summary>The routes the in-process generator does not cover, and path spellings only a real pipeline decodes.</summary>
    private (HttpClient, HttpRequestMessage, string) OtherRoutes(RequestFuzzer f)
    {
        var client = f.Pick([_alice, _alice, _mallory, _anonymous]);
        var segment = RequestFuzzer.Escape(f.Hostile());
        return f.Next(9) switch
        {
            0 => (client, new HttpRequestMessage(HttpMethod.Get, $"/api/mailbox/{f.Pick(["message", "event", segment])}/{f.Pick([segment, "AAMkAD%3D%3D", f.HostileId()])}"), "resolve a mailbox item"),
            1 => (client, f.Json(HttpMethod.Post, $"/api/mailbox/{f.Pick(["message", "event", segment])}/{segment}/tag",
                f.Pick(["{}", "[]", "{\"workflowId\":\"" + _id + "\",\"category\":" + Quote(f.Hostile()) + "}", "{\"workflowId\":" + Quote(f.Hostile()) + "}"])), "tag a mailbox item"),
            2 => (client, new HttpRequestMessage(HttpMethod.Get, $"/api/review?{f.Pick(["week", "timeZone", segment])}={segment}"), "review with hostile parameters"),
            3 => (client, f.Json(HttpMethod.Put, "/api/me/preferences",
                f.Pick(["{\"timeZone\":" + Quote(f.Hostile()) + "}", "{\"timeZone\":42}", "{\"timeZone\":null}", "[]", "{", "{\"timeZone\":\"Europe/Berlin\",\"isAdmin\":true}"])), "preferences"),
            4 => (client, new HttpRequestMessage(f.Pick([HttpMethod.Get, HttpMethod.Delete, HttpMethod.Patch]), "/api/me" + f.Pick(["", "/", "/preferences", "/" + segment])), "me, wrong methods"),
            5 => (client, f.Json(HttpMethod.Post, f.Pick(["/api/..%5CWeeklyReview", "/api/%2e%2e%5cWeeklyReview", "/api/x/..%5C..%5CWeeklyReview", "/api/..%5CWeeklyReview%23"]),
                """{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}"""), "the timer's path, spelled to leave /api/"),
            6 => (client, new HttpRequestMessage(HttpMethod.Get, f.Pick(["/api/..%5C", "/api/%2e%2e%5c", "/api/..%5Cnothing"])), "the readiness probe's path, spelled to leave /api/"),
            7 => (client, f.Json(HttpMethod.Post, "/api/dev/token", f.Pick(["{\"email\":\"alice@contoso.test\"}", "{\"email\":" + Quote(f.Hostile()) + "}", "{}"])), "the development sign-in from outside"),
            _ => (client, new HttpRequestMessage(HttpMethod.Get, "/api/" + f.Pick([
                "workflows/%C0%AE%C0%AE", "workflows%00", "workflows/%ZZ", "workflows/%252e%252e", "workflows;x=1", "workflows//" + _id,
                "workflows/" + _id + "%2F..%2F..", "WORKFLOWS/" + _id, "workflows/" + _id + ".", "workflows/%E2%80%AE" + _id,
                "items/%2F%2F/workflows", "items/thread%3Afuzz%00/workflows", "openapi.json%00", "review%3Fweek=1",
            ])), "path decoding"),
        };
    }

    private static string Quote(string text) => JsonValue.Create(text)!.ToJsonString();

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A client of the app's public address (through the host stub), signed in as <paramref name="email"/> if given.</summary>
    private async Task<HttpClient> PublicClientAsync(string? email)
    {
        var client = _host.CreatePublicClient();
        client.DefaultRequestHeaders.Host = PublicHost;
        if (email is not null)
        {
            using var local = await _handler.SignedInAsync(email);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", local.DefaultRequestHeaders.Authorization!.Parameter);
        }
        return client;
    }
}
