using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// A person's data in their hands (docs/decisions/0016), through the API against Azurite: the export holds my
/// workflows and their histories and nothing of anyone else's; deleting me leaves "a former colleague" in the
/// workflows I shared, my own rows gone, and converges however often it is asked — also while the other party moves.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class PrivacyApiTests(Azurite azurite) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;
    private HttpClient _carol = null!;

    public async Task InitializeAsync()
    {
        _api = new ApiFactory(azurite);
        _alice = await _api.SignedInAsync("alice@contoso.test");
        _bob = await _api.SignedInAsync("bob@contoso.test");
        _carol = await _api.SignedInAsync("carol@contoso.test");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static readonly string[] AliceAndBob = ["alice@contoso.test", "bob@contoso.test"];

    /// <summary>Alice asked Bob, and Bob promised.</summary>
    private async Task<ApiClient.Answer> PromisedByBobAsync()
    {
        var asked = await _alice.OpenForBobAsync("Alice asks Bob", start: "requested");
        Assert.Equal(HttpStatusCode.Created, asked.Status);
        var promised = await _bob.MoveAsync(asked.Id, asked.ETag, new { move = "promise" });
        Assert.Equal(HttpStatusCode.OK, promised.Status);
        return promised;
    }

    private static async Task<ApiClient.Answer> ForgetAsync(HttpClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(body) };
        return await ApiClient.Read(await client.SendAsync(request));
    }

    private static Task<ApiClient.Answer> ForgetMeAsync(HttpClient client) => ForgetAsync(client, new { confirm = "delete my data" });

    private static async Task<UserId> IdOfAsync(HttpClient client)
    {
        var me = (await client.GetJsonAsync("/api/me")).Body!;
        return new UserId(me["tenantId"]!.GetValue<string>(), me["objectId"]!.GetValue<string>());
    }

    [Fact]
    public async Task My_export_holds_my_workflows_with_their_histories_and_nothing_of_a_workflow_between_others()
    {
        var mine = await PromisedByBobAsync();
        var theirs = await _bob.OpenAsync(new
        {
            concern = "Bob asks Carol", customer = "me", performer = "carol@contoso.test", conditions = "Slides",
            dueBy = DateTimeOffset.UtcNow.AddDays(9), start = "requested",
        });
        Assert.Equal(HttpStatusCode.Created, theirs.Status);

        using var response = await _alice.GetAsync("/api/me/export");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches(@"^""?workflow-export-\d{4}-\d{2}-\d{2}\.json""?$", response.Content.Headers.ContentDisposition?.FileName);
        var export = JsonNode.Parse(text)!;
        var workflow = Assert.Single(export["workflows"]!.AsArray())!;
        Assert.Equal(mine.Id, workflow["state"]!["id"]!.GetValue<string>());
        Assert.Equal("customer", workflow["yourRole"]!.GetValue<string>());
        Assert.Equal(["workflowOpened", "requested", "promised"],
            workflow["history"]!.AsArray().Select(e => e!["event"]!.GetValue<string>()).Where(e => e != "itemLinked"));
        Assert.Equal("alice@contoso.test", export["me"]!["email"]!.GetValue<string>());
        Assert.NotNull(export["figures"]!["note"]);
        Assert.NotNull(export["roles"]);
        Assert.NotNull(export["meetings"]);
        Assert.DoesNotContain(theirs.Id, text);
        Assert.DoesNotContain("Bob asks Carol", text);
        Assert.DoesNotContain("carol", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Deleting_me_leaves_a_former_colleague_in_our_workflow_and_nothing_of_mine()
    {
        var ours = await PromisedByBobAsync();
        var alice = await IdOfAsync(_alice);
        Assert.Equal(HttpStatusCode.NoContent, (await _alice.PutAsJsonAsync("/api/me/preferences", new { notify = "weekly" })).StatusCode);

        var deleted = await ForgetMeAsync(_alice);

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.True(deleted.Body!["complete"]!.GetValue<bool>());
        Assert.Equal(1, deleted.Body["workflowsForgotten"]!.GetValue<int>());
        // Mine: a fresh person, with empty lists and no registry entry.
        Assert.Equal("immediate", (await _alice.GetJsonAsync("/api/me")).Body!["notify"]!.GetValue<string>());
        Assert.Empty((await _alice.GetJsonAsync("/api/workflows?view=all")).Ids());
        Assert.Equal(HttpStatusCode.NotFound, (await _alice.GetJsonAsync($"/api/workflows/{ours.Id}")).Status);
        Assert.Null(await _api.Services.GetRequiredService<IPeopleRegistry>().FindAsync(alice, CancellationToken.None));
        // Bob's: the workflow stands where it stood, with "a former colleague" as its customer, in his view, list and history.
        var seen = await _bob.GetJsonAsync($"/api/workflows/{ours.Id}");
        Assert.Equal("promised", seen.State);
        Assert.Equal("a former colleague", seen.Body!["customer"]!["displayName"]!.GetValue<string>());
        Assert.False(seen.Body["customer"]!["pending"]!.GetValue<bool>());
        Assert.DoesNotContain("alice@", seen.Body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Alice Archer", seen.Body.ToJsonString(), StringComparison.Ordinal);
        var line = Assert.Single((await _bob.GetJsonAsync("/api/workflows?view=all")).Body!["items"]!.AsArray())!;
        Assert.Equal(("a former colleague", seen.Version), (line["counterpart"]!.GetValue<string>(), line["version"]!.GetValue<int>()));
        var history = await _bob.HistoryAsync(ours.Id);
        Assert.DoesNotContain("alice@", history.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Alice Archer", history.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(alice.ObjectId, history.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(("partyForgotten", "customer", "a former colleague"),
            (history[^1]!["event"]!.GetValue<string>(), history[^1]!["by"]!.GetValue<string>(), history[^1]!["who"]!.GetValue<string>()));
        Assert.Equal("customer", history[0]!["by"]!.GetValue<string>());
        // And Bob keeps his moves.
        Assert.Equal(HttpStatusCode.OK, (await _bob.MoveAsync(ours.Id, seen.ETag, new { move = "reportComplete", assessBy = DateTimeOffset.UtcNow.AddDays(3) })).Status);
    }

    [Fact]
    public async Task My_figures_and_team_memberships_are_in_my_export_and_gone_when_I_leave_while_the_other_partys_stay()
    {
        var promised = await PromisedByBobAsync();
        var reported = await _bob.MoveAsync(promised.Id, promised.ETag, new { move = "reportComplete" });
        Assert.Equal("satisfied", (await _alice.MoveAsync(promised.Id, reported.ETag, new { move = "declareSatisfied" })).State);
        var team = await ApiClient.Read(await _alice.PostAsJsonAsync("/api/teams", new { name = "Finance", members = AliceAndBob }));
        Assert.Equal(HttpStatusCode.Created, team.Status);
        var alicesBefore = (await _alice.GetJsonAsync("/api/figures?weeks=4")).Body!["totals"]!;
        Assert.Equal(1, alicesBefore["assessments"]!.GetValue<int>());

        using (var exported = await _alice.GetAsync("/api/me/export"))
        {
            var figures = JsonNode.Parse(await exported.Content.ReadAsStringAsync())!["figures"]!["data"]!;
            Assert.Single(figures["loops"]!.AsArray());
            Assert.Equal("Finance", Assert.Single(figures["teams"]!.AsArray())!["name"]!.GetValue<string>());
        }

        Assert.True((await ForgetMeAsync(_alice)).Body!["complete"]!.GetValue<bool>());

        Assert.Equal(0, (await _alice.GetJsonAsync("/api/figures?weeks=4")).Body!["totals"]!["assessments"]!.GetValue<int>());
        Assert.Equal(1, (await _bob.GetJsonAsync("/api/figures?weeks=4")).Body!["totals"]!["kept"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await _alice.GetJsonAsync($"/api/teams/{team.Id}")).Status);
    }

    [Fact]
    public async Task A_retried_delete_finds_nothing_more_to_do()
    {
        await PromisedByBobAsync();
        Assert.Equal(HttpStatusCode.OK, (await ForgetMeAsync(_alice)).Status);

        var again = await ForgetMeAsync(_alice);

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.True(again.Body!["complete"]!.GetValue<bool>());
        Assert.Equal(0, again.Body["workflowsForgotten"]!.GetValue<int>());
        Assert.Single((await _bob.GetJsonAsync("/api/workflows?view=all")).Ids());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"confirm\":\"yes\"}")]
    [InlineData("{\"confirm\":\"Delete my data\"}")]
    [InlineData("{\"confirm\":\"delete my data\",\"also\":1}")]
    public async Task Deleting_without_the_exact_confirmation_is_refused_and_deletes_nothing(string body)
    {
        var ours = await PromisedByBobAsync();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

        var answer = await ApiClient.Read(await _alice.SendAsync(request));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal([ours.Id], (await _alice.GetJsonAsync("/api/workflows?view=all")).Ids());
    }

    [Fact]
    public async Task A_delete_racing_a_move_by_the_other_party_lands_consistently()
    {
        var ours = await PromisedByBobAsync();

        var results = await Task.WhenAll(
            ForgetMeAsync(_alice),
            _bob.MoveAsync(ours.Id, ours.ETag, new { move = "reportComplete", assessBy = DateTimeOffset.UtcNow.AddDays(3) }));

        var deleted = results[0].Body!["complete"]!.GetValue<bool>() ? results[0] : await ForgetMeAsync(_alice);
        Assert.True(deleted.Body!["complete"]!.GetValue<bool>());
        Assert.Contains(results[1].Status, new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed });
        var seen = await _bob.GetJsonAsync($"/api/workflows/{ours.Id}");
        Assert.Equal("a former colleague", seen.Body!["customer"]!["displayName"]!.GetValue<string>());
        Assert.Equal(results[1].Status == HttpStatusCode.OK ? "reported" : "promised", seen.State);
        var line = Assert.Single((await _bob.GetJsonAsync("/api/workflows?view=all")).Body!["items"]!.AsArray())!;
        Assert.Equal((seen.Version, "a former colleague"), (line["version"]!.GetValue<int>(), line["counterpart"]!.GetValue<string>()));
        Assert.Equal(seen.Version, (await _bob.HistoryAsync(ours.Id))[^1]!["version"]!.GetValue<int>());
        Assert.Empty((await _alice.GetJsonAsync("/api/workflows?view=all")).Ids());
    }

    [Fact]
    public async Task A_role_I_hold_is_in_my_export_and_closed_when_I_leave()
    {
        var created = await ApiClient.Read(await _alice.PostAsJsonAsync("/api/roles", new
        {
            name = "Weekly numbers",
            accountabilities = new[] { new { concern = "Numbers", conditions = "The sheet", customer = "bob@contoso.test", schedule = "0 9 * * 1" } },
        }));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var export = (await _alice.GetJsonAsync("/api/me/export")).Body!;
        Assert.Equal(created.Id, Assert.Single(export["roles"]!.AsArray())!["id"]!.GetValue<string>());

        Assert.True((await ForgetMeAsync(_alice)).Body!["complete"]!.GetValue<bool>());

        var role = await _api.Services.GetRequiredService<IRoleStore>().LoadAsync(created.Id, CancellationToken.None);
        Assert.Empty(role!.Role.Accountabilities);
    }
}
