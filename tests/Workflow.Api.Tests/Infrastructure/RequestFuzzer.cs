using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>
/// Makes malformed requests against every route: broken JSON, wrong types, missing and extra fields (server-owned
/// ones among them), huge bodies, unknown moves, hostile ids, keys and ETags, OData-looking and control-character
/// strings, bad query parameters, wrong content types, no or bad tokens — and checks each answer: a 4xx problem
/// details (or a harmless read), never a 5xx. The same generator runs in process and through the Functions host.
/// </summary>
public sealed class RequestFuzzer(HttpClient alice, HttpClient mallory, HttpClient anonymous, string id, string closedId, int seed)
{
    public static readonly int[] ExpectedRefusals = [400, 401, 404, 405, 412, 413, 415, 428];

    public static readonly string[] HostileStrings =
    [
        "' or PartitionKey ne '", "') or (RowKey ne '", "$filter=true", "PartitionKey eq 'x'", "<script>alert(1)</script>",
        "\u0000", "\u0001\u0002\u001f", "\ud800", "%00", "../../etc/passwd", "null", "true", "-1", "1e309", "\u202e",
        new string('x', 5000), "🙂🙂🙂", " ", "", "thread:" + new string('a', 600), "a b", "%2F%2F", "event:\nx",
    ];

    private readonly HttpClient _alice = alice;
    private readonly HttpClient _mallory = mallory;
    private readonly HttpClient _anonymous = anonymous;
    private readonly string _id = id;
    private readonly string _closedId = closedId;
    private readonly Random _random = new(seed);
    private readonly string[] _hostile = HostileStrings;

    /// <summary>Sends <paramref name="count"/> generated requests; returns the bad answers and every status seen.</summary>
    /// <param name="answeredByTheHandler">Tells the handler's answers from those of whatever stands in front of it; those
    /// must not be 5xx either, but need not be our problem details.</param>
    public async Task<(List<string> Failures, HashSet<int> Statuses)> RunAsync(
        int count, Func<(HttpClient, HttpRequestMessage, string)>? extra = null, Func<HttpResponseMessage, bool>? answeredByTheHandler = null)
    {
        var failures = new List<string>();
        var statuses = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            var (client, request, why) = extra is not null && _random.Next(4) == 0 ? extra() : Generate();
            using (request)
            {
                var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                statuses.Add(status);
                var isRead = request.Method == HttpMethod.Get;
                if (status >= 500 || (status < 400 && !isRead))
                {
                    failures.Add($"{why}: {request.Method} {request.RequestUri} → {status} {body[..Math.Min(body.Length, 300)]}");
                }
                else if (status >= 400 && (answeredByTheHandler?.Invoke(response) ?? true) && (response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                    || JsonNode.Parse(body)?["status"]?.GetValue<int>() != status))
                {
                    failures.Add($"{why}: {request.Method} {request.RequestUri} → {status} without problem details: {body[..Math.Min(body.Length, 200)]}");
                }
            }
        }
        return (failures, statuses);
    }

    public T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    public int Next(int max) => _random.Next(max);

    public string Hostile() => Pick(_hostile);

    private (HttpClient Client, HttpRequestMessage Request, string Why) Generate()
    {
        var client = Pick([_alice, _alice, _alice, _mallory, _anonymous]);
        // Moves come up twice as often as any other route: they have the most ways to be refused.
        return _random.Next(21) switch
        {
            18 => _random.Next(3) == 0
                ? (client, new HttpRequestMessage(HttpMethod.Get, $"/api/me/export?{Query()}"), "export")
                : (client, Json(HttpMethod.Delete, "/api/me", BrokenForget(out var why)), why),
            19 => (client, Json(Pick([HttpMethod.Post, HttpMethod.Put]) is var method && method == HttpMethod.Post ? method : HttpMethod.Put,
                method == HttpMethod.Post ? "/api/teams" : $"/api/teams/{Pick([_id, HostileId()])}/membership",
                method == HttpMethod.Post ? BrokenTeam(out var why) : Break(new JsonObject { ["optIn"] = true }, ["optIn"], out why)), why),
            20 => (client, new HttpRequestMessage(HttpMethod.Get, Pick([
                $"/api/figures?weeks={Uri.EscapeDataString(Pick(["4", "13", "52", "0", "-1", "7", Hostile()]))}&with={Uri.EscapeDataString(Hostile())}",
                $"/api/teams/{HostileId()}?weeks={Uri.EscapeDataString(Hostile())}", $"/api/teams/{_id}", "/api/teams", "/api/teams/groups"])), "figures or team read"),
            16 => (client, Json(HttpMethod.Post, $"/api/workflows/{Id()}/children", BrokenChild(out var why)), why),
            17 => Pick([_mallory, _anonymous]) is var outsider && _random.Next(3) == 0
                ? (outsider, new HttpRequestMessage(HttpMethod.Post, $"/api/workflows/{Pick([_id, HostileId()])}/children/close"), "close another's children")
                : (client, new HttpRequestMessage(HttpMethod.Get, $"/api/workflows/{HostileId()}/{Pick(["children", "tree"])}"), "children or tree"),
            13 => (client, Json(HttpMethod.Post, Pick(["/api/roles", $"/api/roles/{HostileId()}/accountabilities"]), BrokenRole(out var why), etag: ETag()), why),
            14 => (client, Json(HttpMethod.Post, Pick([$"/api/workflows/{Id()}/role", $"/api/roles/{HostileId()}/handover", $"/api/roles/{HostileId()}/offers/{HostileId()}"]),
                BrokenRoleWrite(out var why), etag: ETag()), why),
            15 => (client, new HttpRequestMessage(Pick([HttpMethod.Get, HttpMethod.Delete]), Pick([
                $"/api/roles/schedule-preview?schedule={Uri.EscapeDataString(Hostile())}&timeZone={Uri.EscapeDataString(Hostile())}",
                $"/api/roles/{HostileId()}", $"/api/roles/{HostileId()}/accountabilities/{Escape(Hostile())}", "/api/roles"])), "role read or removal"),
            12 => (client, Json(HttpMethod.Post, $"/api/workflows/{Id()}/moves", BrokenMove(out var why), etag: ETag()), why),
            9 => (client, Json(HttpMethod.Put, $"/api/meetings/{MeetingKey()}/purpose", BrokenPurpose(out var why)), why),
            10 => (client, new HttpRequestMessage(HttpMethod.Get, $"/api/meetings/{MeetingKey()}?on={Uri.EscapeDataString(Pick(["2026-12-07", Hostile(), "1999-01-01", "2026-13-01", ""]))}"), "meeting"),
            11 => (client, new HttpRequestMessage(HttpMethod.Get,
                $"/api/meetings/{MeetingKey()}/agenda?with={Uri.EscapeDataString(Hostile())}&with={Uri.EscapeDataString(Pick(["bob@contoso.test", "", new string('w', 400)]))}"), "meeting agenda"),
            0 => (client, Json(HttpMethod.Post, "/api/workflows", BrokenOpen(out var why)), why),
            1 => (client, Json(HttpMethod.Post, $"/api/workflows/{Id()}/moves", BrokenMove(out var why), etag: ETag()), why),
            2 => (client, new HttpRequestMessage(HttpMethod.Get, $"/api/workflows?{Query()}"), "list query"),
            3 => (client, new HttpRequestMessage(HttpMethod.Get, $"/api/workflows/{HostileId()}"), "get by id"),
            4 => (client, new HttpRequestMessage(HttpMethod.Get, $"/api/workflows/{HostileId()}/history"), "history"),
            5 => (client, Json(HttpMethod.Post, $"/api/items/{ItemKey()}/workflows", BrokenLink(out var why)), why),
            6 => (client, new HttpRequestMessage(HttpMethod.Delete, $"/api/items/{ItemKey()}/workflows/{HostileId()}"), "unlink"),
            7 => (client, new HttpRequestMessage(HttpMethod.Get, $"/api/items/{ItemKey()}/workflows"), "item links"),
            _ => (client, Json(Pick([HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete, HttpMethod.Post]),
                Pick(["/api/workflows/" + _id, "/api/workflows/" + _id + "/history", "/api/nothing", "/api/workflows/" + _id + "/moves/x", "/api/dev/token"]),
                Pick(["{}", "{\"email\":\"nobody@x\"}", "[]", "\"x\""])), "wrong method or route"),
        };
    }

    /// <summary>A body for open that is always invalid: at least one breaking mutation on top of random noise.</summary>
    private string BrokenOpen(out string why)
    {
        var body = new JsonObject
        {
            ["concern"] = "Fuzzed concern " + Hostile(),
            ["customer"] = "me",
            ["performer"] = "bob@contoso.test",
            ["conditions"] = Hostile(),
            ["dueBy"] = DateTimeOffset.UtcNow.AddDays(3).ToString("O"),
            ["source"] = new JsonObject { ["key"] = "thread:fuzz-" + _random.Next(), ["kind"] = "message" },
        };
        return Break(body, ["concern", "customer", "performer", "conditions", "dueBy", "source"], out why);
    }

    private string BrokenMove(out string why)
    {
        var body = new JsonObject { ["move"] = Pick(["note", "checkIn", "reportProgress", "proposeChange", "cancel", "renege", "repeat", "promise"]), ["text"] = Hostile() };
        if (_random.Next(3) == 0)
        {
            why = "a valid move on a version that is not current (or no If-Match)";
            return new JsonObject { ["move"] = "note", ["text"] = "valid but stale" }.ToJsonString();
        }
        if (_random.Next(3) == 0)
        {
            body["move"] = Pick(["dance", "Note", "NOTE", "note ", "", "declare_satisfied", "requestX", "__proto__", "1"]);
            why = "unknown move";
            return body.ToJsonString();
        }
        if (_random.Next(4) == 0)
        {
            body["move"] = Pick(["setCheckIns", "markObjective", "shareWithParent", "giveFeedback", "cancel"]);
            body["checkInEveryDays"] = 7;
            body["objective"] = true;
            body["shared"] = true;
            body["answers"] = new JsonObject { ["resultMet"] = "yes" };
            body["openChildren"] = "keep";
            return Break(body, ["checkInEveryDays", "objective", "shared", "answers", "openChildren"], out why);
        }
        return Break(body, ["move", "text", "conditions", "dueBy", "replyBy", "assessBy", "meeting", "on"], out why);
    }

    /// <summary>A body opening a child that is always invalid (a valid one by the performer would rightly open it).</summary>
    private string BrokenChild(out string why)
    {
        var body = new JsonObject
        {
            ["relation"] = "delegated",
            ["concern"] = "Fuzzed part " + Hostile(),
            ["performer"] = "carol@contoso.test",
            ["conditions"] = Hostile(),
            ["dueBy"] = DateTimeOffset.UtcNow.AddDays(3).ToString("O"),
        };
        if (_random.Next(4) == 0)
        {
            body["relation"] = Pick(["Dual", "sibling", "", Hostile(), "delegate"]);
            why = "not a relation";
            return body.ToJsonString();
        }
        return Break(body, ["relation", "concern", "performer", "conditions", "dueBy"], out why);
    }

    /// <summary>A purpose body that is always invalid (a valid one on a valid key would rightly change what is stored).</summary>
    private string BrokenPurpose(out string why)
    {
        if (_random.Next(3) == 0)
        {
            // Well-formed, with one value that is not what its field takes.
            (why, var value) = Pick<(string, JsonObject)>([
                ("not a purpose", new JsonObject { ["purpose"] = Pick(["Q5", "q2", "closed", "Closed", "", Hostile(), "Q1 "]) }),
                ("not an occurrence's date", new JsonObject { ["purpose"] = "Q2", ["on"] = Pick(["yesterday", "0001-01-01", "2026-13-45", "2026-12-07T10:00:00Z", Hostile()]) }),
                ("an item id that is no id", new JsonObject { ["purpose"] = "Q2", ["itemId"] = Pick(["", new string('i', 600), "AAMk\u0001x"]) }),
            ]);
            return value.ToJsonString();
        }
        var body = new JsonObject { ["purpose"] = "Q2", ["on"] = "2026-12-07", ["itemId"] = "AAMk" + _random.Next() };
        // Every field may be left out or null (null clears the purpose): those mutations would make a valid body.
        return Break(body, ["purpose", "on", "itemId"], out why, everyFieldOptional: true);
    }

    /// <summary>A role or accountability body that is always invalid.</summary>
    private string BrokenRole(out string why)
    {
        var accountability = new JsonObject
        {
            ["concern"] = "Fuzzed " + Hostile(), ["conditions"] = Hostile(), ["customer"] = "bob@contoso.test", ["schedule"] = Pick(["0 9 1 * *", Hostile(), "0 0 9 1 * *"]),
            ["timeZone"] = Pick(["Europe/Berlin", Hostile()]), ["leadDays"] = _random.Next(-5, 120), ["start"] = Pick(["request", "promise", Hostile()]),
        };
        return _random.Next(2) == 0
            ? Break(new JsonObject { ["name"] = Hostile(), ["accountabilities"] = new JsonArray(accountability) }, ["name", "accountabilities"], out why)
            : Break(accountability, ["concern", "conditions", "customer", "schedule", "timeZone", "leadDays", "start"], out why);
    }

    /// <summary>A body for saving a loop as a role, a handover or an offer's answer that is always invalid.</summary>
    /// <summary>A deletion whose confirmation is never the exact words: the fuzzer must never forget anyone.</summary>
    private string BrokenForget(out string why)
    {
        why = "deletion without its exact confirmation";
        var confirm = Pick(["", "yes", "Delete my data", "delete my data ", " delete my data", "delete  my data", "DELETE MY DATA", Hostile()]);
        return _random.Next(4) switch
        {
            0 => "{}",
            1 => new JsonObject { ["confirm"] = confirm == "delete my data" ? confirm + "?" : confirm }.ToJsonString(),
            2 => new JsonObject { ["confirm"] = _random.Next(100) }.ToJsonString(),
            _ => Pick(["[]", "\"delete my data\"", "null", "{", "", "{\"Confirm\":\"nope\",\"extra\":1}"]),
        };
    }

    private string BrokenRoleWrite(out string why) => _random.Next(3) switch
    {
        0 => Break(new JsonObject { ["name"] = Hostile(), ["schedule"] = "0 9 1 * *", ["timeZone"] = "UTC", ["leadDays"] = 3, ["start"] = "request" },
            ["name", "schedule", "timeZone", "leadDays", "start"], out why),
        1 => Break(new JsonObject { ["to"] = Pick(["carol@contoso.test", Hostile()]) }, ["to"], out why),
        _ => Break(new JsonObject { ["accept"] = true }, ["accept"], out why),
    };

    /// <summary>A team to create whose body is always invalid.</summary>
    private string BrokenTeam(out string why) => _random.Next(2) == 0
        ? Break(new JsonObject { ["name"] = "Fuzzed " + Hostile(), ["members"] = new JsonArray("bob@contoso.test", Hostile()) }, ["name", "members"], out why)
        // A directory group's team: the development directory's Delivery group, which Alice is in.
        : Break(new JsonObject { ["group"] = "0a0a0a0a-0000-0000-0000-00000000d001", ["name"] = "Fuzzed " + Hostile() }, ["group"], out why);

    private string MeetingKey() => Escape(Pick(["event:teams:19:meeting_fuzz@thread.v2", "thread:fuzz", "event:" + Hostile(), Hostile(), "event:", "event:" + new string('k', 600)]));

    private string BrokenLink(out string why)
    {
        var body = new JsonObject { ["workflowId"] = _id, ["kind"] = "message", ["subject"] = Hostile() };
        return Break(body, ["workflowId", "kind", "subject"], out why);
    }

    /// <summary>
    /// Applies one mutation that makes the body invalid, plus sometimes more noise. <paramref name="everyFieldOptional"/>:
    /// a body whose fields may all be left out or null, so removing or nulling one is not among the mutations.
    /// </summary>
    private string Break(JsonObject body, string[] fields, out string why, bool everyFieldOptional = false)
    {
        var field = Pick(fields);
        var mutation = _random.Next(8);
        if (everyFieldOptional && mutation is 2 or 6)
        {
            mutation = 1;
        }
        switch (mutation)
        {
            case 0:
                why = "broken JSON";
                var text = body.ToJsonString();
                return text[..Math.Max(1, _random.Next(text.Length - 1))];
            case 1:
                why = $"wrong type for {field}";
                body[field] = Pick<JsonNode>([JsonValue.Create(42)!, new JsonArray(1, 2), new JsonObject { ["x"] = 1 }, JsonValue.Create(true)!]);
                break;
            case 2:
                why = "missing required field";
                body.Remove(fields[0]);
                break;
            case 3:
                why = "server-owned or unknown field";
                body[Pick(["id", "state", "version", "yourRole", "customerUser", "openedAt", "links", "availableMoves", "etag", "__proto__"])] = Hostile();
                break;
            case 4:
                why = "huge body";
                body[field] = new string('x', 70_000 + _random.Next(50_000));
                break;
            case 5:
                why = "wrong dates";
                body[Pick(["dueBy", "replyBy", "assessBy"])] = Pick(["yesterday", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00", "2026-13-45", "1700000000"]);
                body["extra"] = 1; // Always invalid, even where the date would parse.
                break;
            case 6:
                why = "null for a required field";
                body[fields[0]] = null;
                break;
            default:
                why = "not an object";
                return Pick(["[]", "\"text\"", "42", "null", "{", "", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":{\"q\":1}}}}}}}}}}}}}}}}}"]);
        }
        return body.ToJsonString();
    }

    public HttpRequestMessage Json(HttpMethod method, string path, string body, string? etag = null)
    {
        var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(
            _random.Next(10) == 0 ? Pick(["text/plain", "application/xml", "multipart/form-data", "application/x-www-form-urlencoded"]) : "application/json");
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }
        if (_random.Next(10) == 0)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", Pick(["", new string('k', 300), "a b", "é", "ok-key"]));
        }
        return request;
    }

    private string Id() => _random.Next(4) == 0 ? HostileId() : Pick([_id, _closedId]);

    /// <summary>
    /// Stale, malformed or wildcard — never a current version (the open workflow is at 4, the closed one at 2), since
    /// a valid move with the current version would rightly change storage.
    /// </summary>
    private string? ETag() => Pick<string?>([null, "\"1\"", "\"3\"", "*", "W/\"3\"", "\"999\"", "garbage", "\"\"", "\"-1\"", "\"1\", \"3\""]);

    /// <summary>Ids that name no workflow the caller may touch (or none at all), escaped as a client would.</summary>
    public string HostileId() =>
        Escape(Pick(["x", "0", new string('f', 32), new string('g', 32), _id.ToUpperInvariant(), _id + "0", Hostile()]));

    private string ItemKey() => Escape(Pick(["thread:fuzz", "thread:" + Hostile(), Hostile(), "no-colon", "event:" + _random.Next()]));

    /// <summary>
    /// Escapes a path segment. NUL is left out of paths only: the in-process test client refuses to send it, and
    /// Kestrel answers such a request line with 400 before any of our code runs.
    /// </summary>
    public static string Escape(string segment) =>
        segment.Length == 0 ? "%20" : Uri.EscapeDataString(segment.Replace('\0', '0'));

    private string Query() => Pick([
        $"view={Uri.EscapeDataString(Hostile())}", $"quadrant={Uri.EscapeDataString(Hostile())}", $"dueBefore={Uri.EscapeDataString(Hostile())}",
        $"cursor={Uri.EscapeDataString(Hostile())}", "view=iOwe&view=all", "quadrant=Q9", "dueBefore=0001-01-01", "cursor=" + new string('c', 3000),
        "view=myMove&quadrant=closed", "dueBefore=2026-01-01T00:00:00Z", $"{Uri.EscapeDataString(Hostile())}=1",
    ]);

}
