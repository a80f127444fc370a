using System.Net;
using System.Net.Http.Json;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

[Collection(SharedAzurite.Name)]
public sealed class WorkflowApiTests(Azurite azurite) : IAsyncLifetime
{
    private readonly ApiFactory _api = new(azurite);
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;
    private HttpClient _carol = null!;
    private HttpClient _mallory = null!;

    public async Task InitializeAsync()
    {
        _alice = await _api.SignedInAsync("alice@contoso.test");
        _bob = await _api.SignedInAsync("bob@contoso.test");
        _carol = await _api.SignedInAsync("carol@contoso.test");
        _mallory = await _api.SignedInAsync("mallory@fabrikam.test");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Two_people_run_a_loop_from_request_to_satisfied()
    {
        var opened = await _alice.OpenForBobAsync();
        Assert.Equal(HttpStatusCode.Created, opened.Status);
        Assert.Equal($"/api/workflows/{opened.Id}", opened.Location!.OriginalString);
        Assert.Equal("\"1\"", opened.ETag);
        Assert.Equal(("draft", "Q1"), (opened.State, opened.Body!["quadrant"]!.GetValue<string>()));
        Assert.Equal(["request", "withdraw", "note", "markObjective"], opened.AvailableMoves);

        var asked = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        Assert.Equal((HttpStatusCode.OK, "requested", "\"2\""), (asked.Status, asked.State, asked.ETag));
        Assert.Equal("performer", asked.Body!["whoseMove"]!.GetValue<string>());
        Assert.NotNull(asked.Body["clocks"]!["replyBy"]);

        var bobsView = await _bob.GetJsonAsync($"/api/workflows/{opened.Id}");
        Assert.Equal(["promise", "counter", "decline", "commitToCommit", "note"], bobsView.AvailableMoves);
        Assert.True(bobsView.Body!["yourMove"]!.GetValue<bool>());

        var promised = await _bob.MoveAsync(opened.Id, bobsView.ETag, new { move = "promise" });
        Assert.Equal(("promised", "Q3"), (promised.State, promised.Body!["quadrant"]!.GetValue<string>()));
        Assert.Equal(1, promised.Body["terms"]!["promised"]!["version"]!.GetValue<int>());
        Assert.NotNull(promised.Body["clocks"]!["dueBy"]);

        var reported = await _bob.MoveAsync(opened.Id, promised.ETag, new { move = "reportComplete", text = "Sent the annotated sheet." });
        Assert.Equal(("reported", "Q4", "Done?"), (reported.State, reported.Body!["quadrant"]!.GetValue<string>(), reported.Body["stateLabel"]!.GetValue<string>()));

        var satisfied = await _alice.MoveAsync(opened.Id, reported.ETag, new { move = "declareSatisfied", text = "Thanks!" });
        Assert.Equal(("satisfied", "closed"), (satisfied.State, satisfied.Body!["quadrant"]!.GetValue<string>()));
        Assert.Equal(["note", "repeat", "giveFeedback"], satisfied.AvailableMoves);

        var history = await _bob.HistoryAsync(opened.Id);
        Assert.Equal(
            ["workflowOpened", "requested", "promised", "completionReported", "satisfactionDeclared"],
            history.Select(e => e!["event"]!.GetValue<string>()));
        Assert.Equal(["Alice Archer", "Alice Archer", "Bob Baker", "Bob Baker", "Alice Archer"], history.Select(e => e!["who"]!.GetValue<string>()));
        Assert.Equal("Sent the annotated sheet.", history[3]!["details"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_long_history_comes_a_page_at_a_time_and_the_pages_join_up_exactly()
    {
        var opened = await _alice.OpenForBobAsync();
        var etag = opened.ETag;
        for (var i = 0; i < 6; i++)
        {
            var noted = await _alice.MoveAsync(opened.Id, etag, new { move = "note", text = $"note {i}" });
            etag = noted.ETag;
        }

        var versions = new List<int>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await _alice.GetJsonAsync($"/api/workflows/{opened.Id}/history?limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var items = page.Body!["items"]!.AsArray();
            Assert.InRange(items.Count, 1, 3);
            versions.AddRange(items.Select(e => e!["version"]!.GetValue<int>()));
            cursor = page.Body["next"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(1, 7), versions);
        Assert.Equal(3, pages);
        var whole = (await _alice.GetJsonAsync($"/api/workflows/{opened.Id}/history")).Body!;
        Assert.Equal((7, null), (whole["items"]!.AsArray().Count, whole["next"]?.GetValue<string>()));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("limit=-1")]
    [InlineData("limit=ten")]
    [InlineData("cursor=7")]
    [InlineData("cursor=v")]
    [InlineData("cursor=v-1")]
    [InlineData("cursor=v99999999999")]
    [InlineData("cursor=%27%20or%201%20eq%201")]
    public async Task A_bad_history_cursor_or_limit_is_400(string query)
    {
        var opened = await _alice.OpenForBobAsync();

        var answer = await _alice.GetJsonAsync($"/api/workflows/{opened.Id}/history?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("https://workflow.dev/problems/invalid-request", answer.ProblemType);
    }

    [Fact]
    public async Task A_cursor_past_the_end_gives_an_empty_last_page()
    {
        var opened = await _alice.OpenForBobAsync();

        var page = await _alice.GetJsonAsync($"/api/workflows/{opened.Id}/history?cursor=v40");

        Assert.Equal((0, null), (page.Body!["items"]!.AsArray().Count, page.Body["next"]?.GetValue<string>()));
    }

    [Fact]
    public async Task A_move_without_If_Match_is_428_and_changes_nothing()
    {
        var opened = await _alice.OpenForBobAsync();
        var answer = await _alice.MoveAsync(opened.Id, etag: null, new { move = "request" });
        Assert.Equal(HttpStatusCode.PreconditionRequired, answer.Status);
        Assert.EndsWith("/if-match-required", answer.ProblemType);
        Assert.Single(await _alice.HistoryAsync(opened.Id));
    }

    [Fact]
    public async Task A_move_on_a_stale_version_is_412_and_names_the_current_one()
    {
        var opened = await _alice.OpenForBobAsync();
        await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "note", text = "First thought" });
        var stale = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(2, stale.Body!["currentVersion"]!.GetValue<int>());
        Assert.Equal("\"2\"", stale.ETag);
        Assert.Equal(2, (await _alice.HistoryAsync(opened.Id)).Count);
    }

    [Fact]
    public async Task A_move_that_is_the_other_partys_is_409_naming_move_state_and_party()
    {
        var opened = await _alice.OpenForBobAsync();
        var asked = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        var refused = await _alice.MoveAsync(opened.Id, asked.ETag, new { move = "promise" });
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.EndsWith("/not-your-move", refused.ProblemType);
        Assert.Contains("'promise'", refused.Detail);
        Assert.Contains("'requested'", refused.Detail);
        Assert.Contains("customer", refused.Detail);
        Assert.Equal(["withdraw", "nudge", "note", "markObjective"], refused.Body!["availableMoves"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(2, (await _alice.HistoryAsync(opened.Id)).Count);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("W/\"1\"")]
    [InlineData("\"1\", \"2\"")]
    [InlineData("1")]
    public async Task An_If_Match_that_does_not_name_one_version_is_refused(string ifMatch)
    {
        var opened = await _alice.OpenForBobAsync();
        var answer = await _alice.MoveAsync(opened.Id, ifMatch, new { move = "request" });
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Single(await _alice.HistoryAsync(opened.Id));
    }

    [Theory]
    [InlineData("bm90LWEtY3Vyc29y")]
    [InlineData("%%%")]
    [InlineData("MTExMTExMTEtMTExMS0xMTExLTExMTEtMTExMTExMTExMTExX2JiYmJiYmJiLTAwMDAgeA")]
    public async Task A_forged_or_broken_cursor_is_400(string cursor) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await _alice.GetJsonAsync($"/api/workflows?cursor={Uri.EscapeDataString(cursor)}")).Status);

    [Fact]
    public async Task A_move_that_does_not_exist_in_the_state_is_409()
    {
        var opened = await _alice.OpenForBobAsync();
        var refused = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "reportComplete" });
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.EndsWith("/move-not-allowed", refused.ProblemType);
        Assert.Equal("draft", refused.Body!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Nobody_but_the_parties_can_see_or_move_a_workflow()
    {
        var opened = await _alice.OpenForBobAsync(source: new { key = "thread:secret-thread", kind = "message", subject = "Budget" });
        foreach (var outsider in new[] { _carol, _mallory })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetJsonAsync($"/api/workflows/{opened.Id}")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetJsonAsync($"/api/workflows/{opened.Id}/history")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.MoveAsync(opened.Id, opened.ETag, new { move = "note", text = "hi" })).Status);
            var link = await outsider.PostAsJsonAsync("/api/items/thread:other/workflows", new { workflowId = opened.Id, kind = "message" });
            Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.DeleteAsync($"/api/items/thread:secret-thread/workflows/{opened.Id}")).StatusCode);
            Assert.Empty((await outsider.GetJsonAsync("/api/items/thread:secret-thread/workflows")).Ids());
            Assert.Empty((await outsider.GetJsonAsync("/api/workflows?view=all")).Ids());
        }
        using var anonymous = _api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/workflows/{opened.Id}")).StatusCode);
        Assert.Equal(["workflowOpened", "itemLinked"], (await _alice.HistoryAsync(opened.Id)).Select(e => e!["event"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Retrying_a_move_with_its_idempotency_key_returns_the_original_result_once()
    {
        var opened = await _alice.OpenForBobAsync();
        var first = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" }, idempotencyKey: "req-1");
        await _bob.MoveAsync(opened.Id, first.ETag, new { move = "note", text = "Looking at it" });

        var retry = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" }, idempotencyKey: "req-1");

        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal((first.Version, first.State, first.ETag), (retry.Version, retry.State, retry.ETag));
        Assert.Equal(3, (await _alice.HistoryAsync(opened.Id)).Count);
    }

    [Fact]
    public async Task Reusing_an_idempotency_key_for_another_request_is_422_and_changes_nothing()
    {
        var opened = await _alice.OpenForBobAsync();
        var first = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "note", text = "one" }, idempotencyKey: "k");
        var reused = await _alice.MoveAsync(opened.Id, first.ETag, new { move = "note", text = "two" }, idempotencyKey: "k");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.Status);
        Assert.Equal(2, (await _alice.HistoryAsync(opened.Id)).Count);
    }

    [Fact]
    public async Task Opening_twice_with_one_idempotency_key_opens_one_workflow()
    {
        var body = new { concern = "Onboard Carol", customer = "me", performer = "bob@contoso.test" };
        var first = await _alice.OpenAsync(body, "open-1");
        var second = await _alice.OpenAsync(body, "open-1");
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal(first.Id, second.Id);
        var different = await _alice.OpenAsync(new { concern = "Something else", customer = "me", performer = "bob@contoso.test" }, "open-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.Status);
        Assert.Equal([first.Id], (await _alice.GetJsonAsync("/api/workflows")).Ids());
    }

    [Fact]
    public async Task Opening_a_workflow_between_two_other_people_is_refused()
    {
        var answer = await _alice.OpenAsync(new { concern = "Not mine", customer = "carol@contoso.test", performer = "bob@contoso.test" });
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("customer or the performer", answer.Detail);
    }

    [Theory]
    [InlineData("{\"move\":", "application/json")]
    [InlineData("{\"move\": 42}", "application/json")]
    [InlineData("{\"move\": null}", "application/json")]
    [InlineData("{}", "application/json")]
    [InlineData("[]", "application/json")]
    [InlineData("{\"move\": \"dance\"}", "application/json")]
    [InlineData("{\"move\": \"Request\"}", "application/json")]
    [InlineData("{\"move\": \"note\"}", "application/json")]
    [InlineData("{\"move\": \"note\", \"text\": \"   \"}", "application/json")]
    [InlineData("{\"move\": \"note\", \"text\": \"x\", \"state\": \"satisfied\"}", "application/json")]
    [InlineData("{\"move\": \"note\", \"text\": \"x\", \"version\": 99}", "application/json")]
    [InlineData("{\"move\": \"request\", \"dueBy\": \"next tuesday\"}", "application/json")]
    [InlineData("{\"move\": \"request\", \"dueBy\": \"2001-01-01T00:00:00Z\"}", "application/json")]
    [InlineData("{\"move\": \"note\", \"text\": \"x\"}", "text/plain")]
    [InlineData("{\"move\": \"commitToCommit\", \"replyBy\": \"0001-01-01T00:00:00Z\"}", "application/json")]
    [InlineData("{\"move\": \"request\", \"dueBy\": \"9999-12-31T23:59:59-05:00\"}", "application/json")]
    [InlineData("{\"move\": \"request\", \"replyBy\": \"2999-12-31T23:59:59-05:00\"}", "application/json")]
    [InlineData("move=note", "application/x-www-form-urlencoded")]
    public async Task Malformed_moves_are_4xx_problem_details_and_change_nothing(string body, string contentType)
    {
        var opened = await _alice.OpenForBobAsync();
        var answer = await _alice.PostRawAsync($"/api/workflows/{opened.Id}/moves", body, contentType, opened.ETag);
        Assert.InRange((int)answer.Status, 400, 499);
        Assert.NotNull(answer.ProblemType);
        Assert.DoesNotContain("Workflow.Api", answer.Detail ?? "", StringComparison.Ordinal);
        Assert.Single(await _alice.HistoryAsync(opened.Id));
    }

    [Fact]
    public async Task Text_longer_than_the_limit_and_oversized_bodies_are_refused()
    {
        var opened = await _alice.OpenForBobAsync();
        var tooLong = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "note", text = new string('x', 4001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        var huge = await _alice.PostRawAsync($"/api/workflows/{opened.Id}/moves",
            $"{{\"move\":\"note\",\"text\":\"{new string('x', 100_000)}\"}}", etag: opened.ETag);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Single(await _alice.HistoryAsync(opened.Id));
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("' or PartitionKey ne '")]
    public async Task Unknown_or_hostile_ids_are_404(string id)
    {
        var answer = await _alice.GetJsonAsync($"/api/workflows/{Uri.EscapeDataString(id)}");
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.NotNull(answer.ProblemType);
    }

    [Fact]
    public async Task Lists_show_what_I_owe_what_is_owed_to_me_and_whose_move_it_is()
    {
        var forBob = await _alice.OpenForBobAsync("Alice asks Bob");
        await _alice.MoveAsync(forBob.Id, forBob.ETag, new { move = "request" });
        var forAlice = await _bob.OpenAsync(new
        {
            concern = "Bob asks Alice", customer = "me", performer = "alice@contoso.test",
            conditions = "Slides", dueBy = DateTimeOffset.UtcNow.AddDays(30), start = "requested", replyBy = DateTimeOffset.UtcNow.AddDays(20),
        });

        Assert.Equal([forBob.Id], (await _alice.GetJsonAsync("/api/workflows?view=owedToMe")).Ids());
        Assert.Equal([forAlice.Id], (await _alice.GetJsonAsync("/api/workflows?view=iOwe")).Ids());
        Assert.Equal([forBob.Id], (await _bob.GetJsonAsync("/api/workflows?view=myMove")).Ids().Where(i => i == forBob.Id));
        Assert.DoesNotContain(forBob.Id, (await _alice.GetJsonAsync("/api/workflows?view=myMove")).Ids());
        Assert.Equal(new[] { forBob.Id, forAlice.Id }.Order(), (await _alice.GetJsonAsync("/api/workflows?quadrant=Q2")).Ids().Order());
        Assert.Equal([forBob.Id], (await _alice.GetJsonAsync($"/api/workflows?dueBefore={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(5).ToString("O"))}")).Ids());
        Assert.Equal(2, (await _alice.GetJsonAsync("/api/workflows?view=all")).Ids().Length);

        var line = (await _bob.GetJsonAsync("/api/workflows?view=iOwe")).Body!["items"]![0]!;
        Assert.Equal(("Alice asks Bob", "Alice Archer", "replyBy", true),
            (line["concern"]!.GetValue<string>(), line["counterpart"]!.GetValue<string>(), line["nextClock"]!["kind"]!.GetValue<string>(), line["yourMove"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_list_line_carries_every_running_clock_as_the_workflow_does()
    {
        var opened = await _alice.OpenForBobAsync("Renegotiated while promised", new { key = "thread:clocks", kind = "message" });
        var asked = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        var promised = await _bob.MoveAsync(opened.Id, asked.ETag, new { move = "promise" });
        await _alice.MoveAsync(opened.Id, promised.ETag, new { move = "proposeChange", conditions = "Comments on every line over 5k" });

        // Renegotiating: the change awaits Bob's answer (reply-by) while the promise stays due (due-by).
        var clocks = (await _bob.GetJsonAsync($"/api/workflows/{opened.Id}")).Body!["clocks"]!;
        var line = (await _bob.GetJsonAsync("/api/workflows?view=iOwe")).Body!["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == opened.Id)!;
        var linked = (await _bob.GetJsonAsync("/api/items/thread:clocks/workflows")).Body!.AsArray().Single()!;
        Assert.NotNull(clocks["replyBy"]);
        Assert.NotNull(clocks["dueBy"]);
        foreach (var kind in new[] { "replyBy", "dueBy", "assessBy" })
        {
            Assert.Equal(clocks[kind]?.ToJsonString(), line["clocks"]![kind]?.ToJsonString());
            Assert.Equal(clocks[kind]?.ToJsonString(), linked["clocks"]![kind]?.ToJsonString());
        }
        Assert.Equal(clocks["next"]!["kind"]!.GetValue<string>(), line["nextClock"]!["kind"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("view=everything")]
    [InlineData("quadrant=Q5")]
    [InlineData("quadrant=1")]
    [InlineData("dueBefore=soon")]
    public async Task Bad_list_parameters_are_400(string query) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await _alice.GetJsonAsync($"/api/workflows?{query}")).Status);

    [Fact]
    public async Task Threads_and_meetings_link_to_workflows_and_unlink()
    {
        const string thread = "thread:AAQkADAw/ZmE+MzA=";
        var escaped = Uri.EscapeDataString(thread);
        var opened = await _alice.OpenAsync(new
        {
            concern = "Review the Q3 budget", customer = "me", performer = "bob@contoso.test", conditions = "Comments on every line over 10k",
            dueBy = DateTimeOffset.UtcNow.AddDays(7), start = "requested", source = new { key = thread, kind = "message", subject = "Budget" },
        });
        Assert.Equal([opened.Id], (await _bob.GetJsonAsync($"/api/items/{escaped}/workflows")).Ids());

        var meeting = await _bob.PostAsJsonAsync("/api/items/event:weekly-sync/workflows", new { workflowId = opened.Id, kind = "event", subject = "Weekly sync" });
        Assert.Equal(HttpStatusCode.OK, meeting.StatusCode);
        Assert.Equal([opened.Id], (await _alice.GetJsonAsync("/api/items/event:weekly-sync/workflows")).Ids());
        var again = await _bob.PostAsJsonAsync("/api/items/event:weekly-sync/workflows", new { workflowId = opened.Id, kind = "event" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _alice.DeleteAsync($"/api/items/{escaped}/workflows/{opened.Id}")).StatusCode);
        Assert.Empty((await _bob.GetJsonAsync($"/api/items/{escaped}/workflows")).Ids());
        var links = (await _alice.GetJsonAsync($"/api/workflows/{opened.Id}")).Body!["links"]!.AsArray();
        Assert.Equal(["event:weekly-sync"], links.Select(l => l!["key"]!.GetValue<string>()));
        Assert.Equal(
            ["workflowOpened", "itemLinked", "requested", "itemLinked", "itemUnlinked"],
            (await _alice.HistoryAsync(opened.Id)).Select(e => e!["event"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("no-kind-separator")]
    [InlineData("thread:has space")]
    public async Task Bad_item_keys_are_400(string key) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await _alice.GetJsonAsync($"/api/items/{Uri.EscapeDataString(key)}/workflows")).Status);

    [Fact]
    public async Task Repeating_a_closed_loop_starts_a_linked_draft_between_the_same_parties()
    {
        var opened = await _alice.OpenForBobAsync("Weekly report");
        // Asked, then withdrawn: Bob saw it, so he may start the next cycle (a draft withdrawn unsent stays Alice's).
        var asked = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        var cancelled = await _alice.MoveAsync(opened.Id, asked.ETag, new { move = "withdraw" });
        var repeated = await _bob.MoveAsync(opened.Id, cancelled.ETag, new { move = "repeat" }, idempotencyKey: "rep");
        Assert.Equal(HttpStatusCode.Created, repeated.Status);
        Assert.Equal(("draft", "Weekly report", opened.Id), (repeated.State, repeated.Body!["concern"]!.GetValue<string>(), repeated.Body["repeatOf"]!.GetValue<string>()));
        Assert.Equal("performer", repeated.Body["yourRole"]!.GetValue<string>());
        var old = await _alice.GetJsonAsync($"/api/workflows/{opened.Id}");
        Assert.Equal(repeated.Id, old.Body!["repeatedAs"]!.GetValue<string>());
        Assert.Equal(["note", "giveFeedback"], old.AvailableMoves); // Repeated once; feedback on the old cycle stays open.
    }

    [Fact]
    public async Task A_party_named_by_an_unknown_email_stays_pending_and_sees_nothing()
    {
        var opened = await _alice.OpenAsync(new { concern = "Outside help", customer = "me", performer = "someone@elsewhere.test" });
        Assert.Equal(HttpStatusCode.Created, opened.Status);
        Assert.True(opened.Body!["performer"]!["pending"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, (await _mallory.GetJsonAsync($"/api/workflows/{opened.Id}")).Status);
    }

    [Fact]
    public async Task The_request_path_makes_at_most_two_storage_requests_per_open_or_move()
    {
        await _alice.OpenForBobAsync("warm-up");
        ApiClient.Answer opened;
        using (var open = _api.Requests.Measure())
        {
            opened = await _alice.OpenForBobAsync(source: new { key = "thread:count", kind = "message" });
            // The daily count of opens towards Bob (one ETag-guarded write over the count this instance last saw,
            // OpenLedgerTests), and the commit.
            Assert.Equal(2, open.Count);
        }
        using (var openWithKey = _api.Requests.Measure())
        {
            // The key is not looked up first: a retry meets its first attempt's rows in the commit (OpenLimitTests).
            var keyed = await _alice.OpenAsync(new { concern = "Keyed", customer = "me", performer = "bob@contoso.test" }, "count-open");
            Assert.Equal(HttpStatusCode.Created, keyed.Status);
            Assert.Equal(2, openWithKey.Count);
        }
        using (var move = _api.Requests.Measure())
        {
            await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" }, idempotencyKey: "count-1");
            Assert.InRange(move.Count, 1, 2);
        }
        using (var read = _api.Requests.Measure())
        {
            await _bob.GetJsonAsync($"/api/workflows/{opened.Id}");
            Assert.Equal(1, read.Count);
        }
        using (var list = _api.Requests.Measure())
        {
            await _bob.GetJsonAsync("/api/workflows?view=iOwe");
            Assert.Equal(1, list.Count);
        }
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_route()
    {
        using var anonymous = _api.CreateClient();
        var document = await anonymous.GetStringAsync("/api/openapi.json");
        foreach (var route in new[] { "/api/workflows", "/api/workflows/{id}", "/api/workflows/{id}/moves", "/api/workflows/{id}/history", "/api/items/{key}/workflows" })
        {
            Assert.Contains($"\"{route}\"", document, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_local_sign_in_answers_only_loopback_callers_and_only_for_directory_users()
    {
        using var client = _api.CreateClient();
        var unknown = await client.PostAsJsonAsync("/api/dev/token", new { email = "nobody@contoso.test" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        using var forwarded = new HttpRequestMessage(HttpMethod.Post, "/api/dev/token") { Content = JsonContent.Create(new { email = "alice@contoso.test" }) };
        forwarded.Headers.Host = "workflow.azurewebsites.net";
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(forwarded)).StatusCode);

        _api.RemoteAddress = IPAddress.Parse("192.0.2.10");
        var remote = await client.PostAsJsonAsync("/api/dev/token", new { email = "alice@contoso.test" });
        Assert.Equal(HttpStatusCode.NotFound, remote.StatusCode);
    }

    [Fact]
    public async Task The_handler_answers_the_hosts_readiness_probe_without_signing_in()
    {
        using var anonymous = _api.CreateHostClient();
        var response = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
