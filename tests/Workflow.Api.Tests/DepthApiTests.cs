using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// The seed's depth through the API, from every side: the dual (Bob asks Alice for what he needs; her part at risk is
/// his promise's risk, shown to both), delegation (Bob hands part to Carol; Alice sees only that there is a
/// sub-commitment and whether it is at risk, until Bob shares it), closing a promise asks what becomes of its open
/// children, the objective tree folded for each person, the customer's check-in cadence, and feedback both ways.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class DepthApiTests(Azurite azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ApiFactory _api = null!;
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;
    private HttpClient _carol = null!;
    private HttpClient _dave = null!;

    public async Task InitializeAsync()
    {
        _api = new ApiFactory(azurite, services: s => s.AddSingleton<TimeProvider>(_time));
        _alice = await _api.SignedInAsync("alice@contoso.test");
        _bob = await _api.SignedInAsync("bob@contoso.test");
        _carol = await _api.SignedInAsync("carol@contoso.test");
        _dave = await _api.SignedInAsync("dave@contoso.test");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>Alice asks Bob and Bob promises: the parent every test hangs children under.</summary>
    private async Task<ApiClient.Answer> PromisedByBobAsync(string concern = "Launch the partner portal")
    {
        var asked = await _alice.OpenAsync(new
        {
            concern, customer = "me", performer = "bob@contoso.test", conditions = "Live for the first ten partners",
            dueBy = _time.GetUtcNow().AddDays(30), start = "requested",
        });
        Assert.Equal(HttpStatusCode.Created, asked.Status);
        var promised = await _bob.MoveAsync(asked.Id, asked.ETag, new { move = "promise" });
        Assert.Equal(HttpStatusCode.OK, promised.Status);
        return promised;
    }

    private static async Task<ApiClient.Answer> OpenChildAsync(HttpClient client, string parentId, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/workflows/{parentId}/children") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return await ApiClient.Read(await client.SendAsync(request));
    }

    private Task<ApiClient.Answer> DelegateToCarolAsync(string parentId, string concern = "Write the partner onboarding guide") =>
        OpenChildAsync(_bob, parentId, new { relation = "delegated", concern, performer = "carol@contoso.test", conditions = "Ten pages", dueBy = _time.GetUtcNow().AddDays(20) });

    private static async Task<JsonNode> ChildrenAsync(HttpClient client, string parentId)
    {
        var answer = await client.GetJsonAsync($"/api/workflows/{parentId}/children");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Body!;
    }

    private static async Task<ApiClient.Answer> GetAsync(HttpClient client, string id) => await client.GetJsonAsync($"/api/workflows/{id}");

    [Fact]
    public async Task The_performer_asks_the_customer_for_what_he_needs_and_her_overdue_part_puts_his_promise_at_risk_for_both()
    {
        var parent = await PromisedByBobAsync();
        Assert.Equal(["dual", "delegated"], parent.Body!["youMayOpen"]!.AsArray().Select(r => r!.GetValue<string>()));

        var dual = await OpenChildAsync(_bob, parent.Id, new
        {
            relation = "dual", concern = "The partner list with contacts", conditions = "Names, emails, tiers", dueBy = _time.GetUtcNow().AddDays(5), replyBy = _time.GetUtcNow().AddDays(1),
        });
        Assert.Equal(HttpStatusCode.Created, dual.Status);
        Assert.Equal(("requested", "customer"), (dual.State, dual.Body!["yourRole"]!.GetValue<string>()));
        Assert.Equal("bob@contoso.test", dual.Body["customer"]!["email"]!.GetValue<string>());
        Assert.Equal("alice@contoso.test", dual.Body["performer"]!["email"]!.GetValue<string>());

        // Alice, from her side: the dual is hers to perform, and she sees which promise it serves.
        var asAlice = await GetAsync(_alice, dual.Id);
        Assert.Equal(("performer", "dual", parent.Id, "Launch the partner portal"),
            (asAlice.Body!["yourRole"]!.GetValue<string>(), asAlice.Body["partOf"]!["relation"]!.GetValue<string>(),
                asAlice.Body["partOf"]!["id"]!.GetValue<string>(), asAlice.Body["partOf"]!["concern"]!.GetValue<string>()));
        Assert.Contains("promise", asAlice.AvailableMoves);
        var herChildren = await ChildrenAsync(_alice, parent.Id);
        var shown = Assert.Single(herChildren["children"]!.AsArray());
        Assert.Equal(("dual", "performer"), (shown!["relation"]!.GetValue<string>(), shown["yourRole"]!.GetValue<string>()));
        Assert.Null(herChildren["atRisk"]);
        Assert.Empty(herChildren["youMayOpen"]!.AsArray());

        // Her answer is late: the promise it serves is at risk, to both of them.
        _time.Advance(TimeSpan.FromDays(2));
        foreach (var client in new[] { _alice, _bob })
        {
            var seen = await ChildrenAsync(client, parent.Id);
            Assert.Equal("overdue", seen["atRisk"]!["kind"]!.GetValue<string>());
            Assert.Equal("overdue", seen["children"]![0]!["risk"]!["kind"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_customer_sees_only_that_a_delegated_part_exists_and_is_at_risk_until_the_performer_shares_it()
    {
        var parent = await PromisedByBobAsync();
        var child = await DelegateToCarolAsync(parent.Id);
        Assert.Equal(HttpStatusCode.Created, child.Status);

        // Carol, from her side: her part of a larger promise — whose, she is not told.
        var asCarol = await GetAsync(_carol, child.Id);
        Assert.Equal("performer", asCarol.Body!["yourRole"]!.GetValue<string>());
        Assert.Equal("delegated", asCarol.Body["partOf"]!["relation"]!.GetValue<string>());
        Assert.Null(asCarol.Body["partOf"]!["id"]);
        Assert.DoesNotContain("Launch the partner portal", asCarol.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(_carol, parent.Id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _carol.GetJsonAsync($"/api/workflows/{parent.Id}/children")).Status);

        // Carol asks for more time: the delegated part is being renegotiated, a risk to Bob's promise.
        var promised = await _carol.MoveAsync(child.Id, asCarol.ETag, new { move = "promise" });
        var renegotiating = await _carol.MoveAsync(child.Id, promised.ETag, new { move = "proposeChange", dueBy = _time.GetUtcNow().AddDays(40) });
        Assert.Equal("renegotiating", renegotiating.State);

        var bobs = await ChildrenAsync(_bob, parent.Id);
        var line = Assert.Single(bobs["children"]!.AsArray());
        Assert.Equal(("customer", "renegotiating"), (line!["yourRole"]!.GetValue<string>(), line["risk"]!["kind"]!.GetValue<string>()));
        Assert.Equal(0, bobs["others"]!.GetValue<int>());

        var alices = await ChildrenAsync(_alice, parent.Id);
        Assert.Empty(alices["children"]!.AsArray());
        Assert.Equal((1, 1, "renegotiating"),
            (alices["others"]!.GetValue<int>(), alices["othersAtRisk"]!.GetValue<int>(), alices["atRisk"]!["kind"]!.GetValue<string>()));
        Assert.DoesNotContain("onboarding", alices.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("carol", alices.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        // Bob shares it: now Alice sees it, as shared with her rather than hers.
        var current = await GetAsync(_bob, child.Id);
        Assert.Contains("shareWithParent", current.AvailableMoves);
        Assert.DoesNotContain("shareWithParent", (await GetAsync(_carol, child.Id)).AvailableMoves);
        var shared = await _bob.MoveAsync(child.Id, current.ETag, new { move = "shareWithParent", shared = true });
        Assert.True(shared.Body!["sharedWithParent"]!.GetValue<bool>());
        alices = await ChildrenAsync(_alice, parent.Id);
        var sharedLine = Assert.Single(alices["children"]!.AsArray());
        Assert.Equal("Write the partner onboarding guide", sharedLine!["concern"]!.GetValue<string>());
        Assert.Null(sharedLine["yourRole"]);
        Assert.Equal(0, alices["others"]!.GetValue<int>());
        // Shared is shown, not opened: the workflow itself stays Bob's and Carol's.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(_alice, child.Id)).Status);
    }

    [Fact]
    public async Task Closing_a_promise_with_open_children_asks_what_becomes_of_them_and_closes_them_only_when_told()
    {
        var parent = await PromisedByBobAsync();
        var child = await DelegateToCarolAsync(parent.Id);

        var asked = await _bob.MoveAsync(parent.Id, parent.ETag, new { move = "renege", text = "The budget was cut." });
        Assert.Equal((HttpStatusCode.Conflict, "https://workflow.dev/problems/open-children"), (asked.Status, asked.ProblemType));
        var open = Assert.Single(asked.Body!["openChildren"]!.AsArray());
        Assert.Equal((child.Id, "requested"), (open!["id"]!.GetValue<string>(), open["state"]!.GetValue<string>()));
        Assert.Equal("promised", (await GetAsync(_bob, parent.Id)).State); // Asking changed nothing.
        Assert.Equal(HttpStatusCode.BadRequest, (await _bob.MoveAsync(parent.Id, parent.ETag, new { move = "renege", openChildren = "maybe" })).Status);

        var reneged = await _bob.MoveAsync(parent.Id, parent.ETag, new { move = "renege", openChildren = "close" });
        Assert.Equal(("reneged", HttpStatusCode.OK), (reneged.State, reneged.Status));
        var closedChild = await GetAsync(_carol, child.Id);
        Assert.Equal("declined", closedChild.State); // A request withdrawn.
        var withdrawn = (await _carol.HistoryAsync(child.Id)).Last()!;
        Assert.Contains("Launch the partner portal", withdrawn["details"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Children_kept_open_when_the_customer_closes_are_offered_to_the_performer_to_close_later()
    {
        var parent = await PromisedByBobAsync();
        var child = await DelegateToCarolAsync(parent.Id);
        var promisedChild = await _carol.MoveAsync(child.Id, (await GetAsync(_carol, child.Id)).ETag, new { move = "promise" });
        Assert.Equal("promised", promisedChild.State);

        // Alice holds no children of it: she is not asked, and Bob is left to decide.
        var cancelled = await _alice.MoveAsync(parent.Id, parent.ETag, new { move = "cancel", text = "Partners moved to another portal." });
        Assert.Equal("cancelled", cancelled.State);
        var bobs = await ChildrenAsync(_bob, parent.Id);
        Assert.Equal(1, bobs["openAfterClose"]!.GetValue<int>());
        Assert.Equal(0, (await ChildrenAsync(_alice, parent.Id))["openAfterClose"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NotFound, (await ApiClient.Read(await _carol.PostAsync($"/api/workflows/{parent.Id}/children/close", null))).Status);
        var closed = await ApiClient.Read(await _bob.PostAsync($"/api/workflows/{parent.Id}/children/close", null));
        Assert.Equal(HttpStatusCode.OK, closed.Status);
        Assert.Equal(0, closed.Body!["openAfterClose"]!.GetValue<int>());
        Assert.Equal("cancelled", (await GetAsync(_carol, child.Id)).State);
    }

    [Fact]
    public async Task Only_the_performer_opens_children_while_the_promise_is_negotiated_or_in_force_and_bad_bodies_change_nothing()
    {
        var parent = await PromisedByBobAsync();
        var dueBy = _time.GetUtcNow().AddDays(5);

        var byCustomer = await OpenChildAsync(_alice, parent.Id, new { relation = "delegated", concern = "x", performer = "carol@contoso.test", conditions = "y", dueBy });
        Assert.Equal((HttpStatusCode.Conflict, "https://workflow.dev/problems/not-your-move"), (byCustomer.Status, byCustomer.ProblemType));
        Assert.Equal(HttpStatusCode.NotFound, (await OpenChildAsync(_carol, parent.Id, new { relation = "dual", concern = "x", conditions = "y", dueBy })).Status);
        foreach (var bad in new object[]
        {
            new { relation = "sibling", concern = "x" },
            new { relation = "dual", concern = "x", performer = "carol@contoso.test" },
            new { relation = "delegated", concern = "x" },
            new { relation = "delegated", concern = "x", performer = "not an address" },
            new { relation = "dual", concern = "x", start = "promised", conditions = "y", dueBy },
            new { relation = "dual", concern = "", conditions = "y", dueBy },
        })
        {
            var answer = await OpenChildAsync(_bob, parent.Id, bad);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        }
        Assert.Empty((await ChildrenAsync(_bob, parent.Id))["children"]!.AsArray());

        // Reported: the work is done, nothing more hangs under it.
        var reported = await _bob.MoveAsync(parent.Id, parent.ETag, new { move = "reportComplete" });
        var late = await OpenChildAsync(_bob, parent.Id, new { relation = "dual", concern = "x", conditions = "y", dueBy });
        Assert.Equal((HttpStatusCode.Conflict, "https://workflow.dev/problems/move-not-allowed"), (late.Status, late.ProblemType));
        Assert.Empty(reported.Body!["youMayOpen"]!.AsArray());
    }

    [Fact]
    public async Task Children_opened_at_once_by_concurrent_clients_each_get_their_line_beside_the_parent()
    {
        var parent = await PromisedByBobAsync();
        var bobs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _api.SignedInAsync("bob@contoso.test")));

        var opened = await Task.WhenAll(bobs.Select((client, i) => OpenChildAsync(client, parent.Id, new
        {
            relation = i % 2 == 0 ? "delegated" : "dual", concern = $"Part {i}", performer = i % 2 == 0 ? "carol@contoso.test" : null,
            conditions = "Done well", dueBy = _time.GetUtcNow().AddDays(9),
        })));

        Assert.All(opened, o => Assert.Equal(HttpStatusCode.Created, o.Status));
        var lines = (await ChildrenAsync(_bob, parent.Id))["children"]!.AsArray();
        Assert.Equal(opened.Select(o => o.Id).Order(), lines.Select(l => l!["id"]!.GetValue<string>()).Order());
        // Moves racing on two children at once still leave each line at its own latest state.
        var carols = opened.Where((_, i) => i % 2 == 0).ToArray();
        await Task.WhenAll(carols.Select(async child =>
            await _carol.MoveAsync(child.Id, (await GetAsync(_carol, child.Id)).ETag, new { move = "promise" })));
        lines = (await ChildrenAsync(_bob, parent.Id))["children"]!.AsArray();
        Assert.Equal(2, lines.Count(l => l!["state"]!.GetValue<string>() == "promised"));
    }

    [Fact]
    public async Task A_retried_child_open_with_the_same_key_opens_one_child()
    {
        var parent = await PromisedByBobAsync();
        var body = new { relation = "delegated", concern = "Translate the guide", performer = "carol@contoso.test", conditions = "German", dueBy = _time.GetUtcNow().AddDays(9) };

        var first = await OpenChildAsync(_bob, parent.Id, body, key: "child-1");
        var retry = await OpenChildAsync(_bob, parent.Id, body, key: "child-1");

        Assert.Equal(first.Id, retry.Id);
        Assert.Single((await ChildrenAsync(_bob, parent.Id))["children"]!.AsArray());
    }

    [Fact]
    public async Task The_objective_tree_shows_each_person_their_own_nodes_and_counts_the_rest_with_risk_rolled_up_to_the_top()
    {
        var parent = await PromisedByBobAsync("Grow partner revenue 20%");
        var objective = await _alice.MoveAsync(parent.Id, parent.ETag, new { move = "markObjective", objective = true });
        Assert.True(objective.Body!["objective"]!.GetValue<bool>());
        await OpenChildAsync(_bob, parent.Id, new { relation = "dual", concern = "Quarterly targets per partner", conditions = "A sheet", dueBy = _time.GetUtcNow().AddDays(10) });
        var carols = await DelegateToCarolAsync(parent.Id, "Onboard ten partners");
        var daves = await OpenChildAsync(_carol, carols.Id, new { relation = "delegated", concern = "Run the onboarding webinars", performer = "dave@contoso.test", conditions = "Three sessions", dueBy = _time.GetUtcNow().AddDays(3) });
        Assert.Equal(HttpStatusCode.Created, daves.Status);

        var alices = (await _alice.GetJsonAsync($"/api/workflows/{parent.Id}/tree")).Body!["root"]!;
        Assert.Equal((true, true, "customer"), (alices["visible"]!.GetValue<bool>(), alices["objective"]!.GetValue<bool>(), alices["yourRole"]!.GetValue<string>()));
        var alicesKids = alices["children"]!.AsArray();
        Assert.Equal("Quarterly targets per partner", Assert.Single(alicesKids)!["concern"]!.GetValue<string>()); // Her dual.
        Assert.Equal(2, alices["hiddenBelow"]!.GetValue<int>()); // Carol's and Dave's, counted.
        Assert.DoesNotContain("webinars", alices.ToJsonString(), StringComparison.Ordinal);

        // Dave, three levels down, opens the tree from his own node: the path above him is there, its content is not.
        var tree = await _dave.GetJsonAsync($"/api/workflows/{daves.Id}/tree");
        Assert.Equal(HttpStatusCode.OK, tree.Status);
        var top = tree.Body!["root"]!;
        Assert.False(top["visible"]!.GetValue<bool>());
        Assert.Null(top["id"]);
        Assert.Equal(1, top["hiddenBelow"]!.GetValue<int>()); // Bob's dual with Alice.
        var middle = Assert.Single(top["children"]!.AsArray())!;
        Assert.False(middle["visible"]!.GetValue<bool>());
        var own = Assert.Single(middle["children"]!.AsArray())!;
        Assert.Equal(("Run the onboarding webinars", "performer"), (own["concern"]!.GetValue<string>(), own["yourRole"]!.GetValue<string>()));
        foreach (var secret in new[] { "Grow partner revenue", "Onboard ten partners", "Quarterly targets", "alice", "bob" })
        {
            Assert.DoesNotContain(secret, tree.Body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        }

        // Dave's webinars run late: the risk rolls up to the objective, for everyone looking at it.
        _time.Advance(TimeSpan.FromDays(4));
        foreach (var client in new[] { _alice, _bob, _carol, _dave })
        {
            var fromOwn = (await client.GetJsonAsync($"/api/workflows/{(client == _dave ? daves.Id : client == _carol ? carols.Id : parent.Id)}/tree")).Body!["root"]!;
            Assert.Equal("overdue", fromOwn["rolledUp"]!["kind"]!.GetValue<string>());
        }
        var bobs = (await _bob.GetJsonAsync($"/api/workflows/{parent.Id}/tree")).Body!["root"]!;
        var carolsNode = bobs["children"]!.AsArray().Single(n => n!["concern"]?.GetValue<string>() == "Onboard ten partners")!;
        Assert.Equal((1, 1), (carolsNode["hiddenBelow"]!.GetValue<int>(), carolsNode["hiddenAtRisk"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.NotFound, (await _dave.GetJsonAsync($"/api/workflows/{parent.Id}/tree")).Status);
    }

    [Fact]
    public async Task The_customers_cadence_shows_the_next_check_in_and_a_missed_one_appears_in_her_review()
    {
        var parent = await PromisedByBobAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await _bob.MoveAsync(parent.Id, parent.ETag, new { move = "setCheckIns", checkInEveryDays = 7 })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _alice.MoveAsync(parent.Id, parent.ETag, new { move = "setCheckIns", checkInEveryDays = 0 })).Status);

        var set = await _alice.MoveAsync(parent.Id, parent.ETag, new { move = "setCheckIns", checkInEveryDays = 7 });
        Assert.Equal((7, false), (set.Body!["checkIns"]!["everyDays"]!.GetValue<int>(), set.Body["checkIns"]!["missed"]!.GetValue<bool>()));
        // Bob, from his side, sees the cadence Alice took on.
        Assert.Equal(7, (await GetAsync(_bob, parent.Id)).Body!["checkIns"]!["everyDays"]!.GetValue<int>());

        _time.Advance(TimeSpan.FromDays(8));
        Assert.True((await GetAsync(_alice, parent.Id)).Body!["checkIns"]!["missed"]!.GetValue<bool>());
        var review = await _alice.GetJsonAsync("/api/review");
        Assert.Contains("noRecentCheckIn", review.Body!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_party_gives_feedback_once_the_loop_closes_and_each_sees_the_others_but_nobody_else()
    {
        var parent = await PromisedByBobAsync();
        var reported = await _bob.MoveAsync(parent.Id, parent.ETag, new { move = "reportComplete" });
        var satisfied = await _alice.MoveAsync(parent.Id, reported.ETag, new { move = "declareSatisfied" });
        Assert.Contains("giveFeedback", satisfied.AvailableMoves);

        var wrongQuestions = await _alice.MoveAsync(parent.Id, satisfied.ETag, new { move = "giveFeedback", answers = new { concernClear = "yes" } });
        Assert.Equal(HttpStatusCode.BadRequest, wrongQuestions.Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _alice.MoveAsync(parent.Id, satisfied.ETag, new { move = "giveFeedback", answers = new { resultMet = "maybe" } })).Status);
        var hers = await _alice.MoveAsync(parent.Id, satisfied.ETag, new { move = "giveFeedback", answers = new { resultMet = "yes", keptInformed = "partly" }, text = "A weekly note would have helped." });
        Assert.Equal(HttpStatusCode.OK, hers.Status);
        var his = await _bob.MoveAsync(parent.Id, hers.ETag, new { move = "giveFeedback", answers = new { concernClear = "yes", conditionsNegotiable = "yes", checkInsHelped = "no" } });
        Assert.Equal(HttpStatusCode.OK, his.Status);

        foreach (var client in new[] { _alice, _bob })
        {
            var view = await GetAsync(client, parent.Id);
            Assert.Equal("partly", view.Body!["feedback"]!["customer"]!["answers"]!["keptInformed"]!.GetValue<string>());
            Assert.Equal("no", view.Body["feedback"]!["performer"]!["answers"]!["checkInsHelped"]!.GetValue<string>());
            Assert.DoesNotContain("giveFeedback", view.AvailableMoves);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(_carol, parent.Id)).Status);
    }
}
