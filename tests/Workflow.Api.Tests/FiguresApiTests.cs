using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Application;

namespace Workflow.Api.Tests;

/// <summary>
/// Promise-keeping figures through the API: each person's own, from loops driven by real moves at hand-chosen times
/// (the figures below are computed by hand from those times), one storage query to show them; and the opt-in team
/// roll-up, which a non-member cannot see, which shows no aggregate below 5 people who opted in, and which never
/// shows one person's figures.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class FiguresApiTests(Azurite azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RecordingMailSender _mail = new();
    private ApiFactory _api = null!;
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;
    private HttpClient _carol = null!;
    private HttpClient _dave = null!;
    private HttpClient _erin = null!;
    private HttpClient _frank = null!;
    private HttpClient _mallory = null!;

    public async Task InitializeAsync()
    {
        var mail = _mail;
        _api = new ApiFactory(azurite, services: s => s.AddSingleton<TimeProvider>(_time).AddSingleton<IMailSender>(mail));
        _alice = await _api.SignedInAsync("alice@contoso.test");
        _bob = await _api.SignedInAsync("bob@contoso.test");
        _carol = await _api.SignedInAsync("carol@contoso.test");
        _dave = await _api.SignedInAsync("dave@contoso.test");
        _erin = await _api.SignedInAsync("erin@contoso.test");
        _frank = await _api.SignedInAsync("frank@contoso.test");
        _mallory = await _api.SignedInAsync("mallory@fabrikam.test");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>
    /// <paramref name="customer"/> asks <paramref name="performer"/>, due in <paramref name="dueInDays"/>; the performer
    /// promises <paramref name="answerHours"/> later; then, if <paramref name="reportAfterDays"/> is given, reports that
    /// long after the promise and the customer accepts <paramref name="assessHours"/> later.
    /// </summary>
    private async Task<ApiClient.Answer> LoopAsync(
        HttpClient customer, string performerEmail, HttpClient performer, int dueInDays, int answerHours,
        double? reportAfterDays = null, int assessHours = 1, bool renege = false)
    {
        var asked = await customer.OpenAsync(new
        {
            concern = "Figures " + Guid.NewGuid().ToString("N")[..6], customer = "me", performer = performerEmail,
            conditions = "As agreed", dueBy = _time.GetUtcNow().AddDays(dueInDays), start = "requested",
        });
        Assert.Equal(HttpStatusCode.Created, asked.Status);
        _time.Advance(TimeSpan.FromHours(answerHours));
        var state = await performer.MoveAsync(asked.Id, asked.ETag, new { move = "promise" });
        Assert.Equal(HttpStatusCode.OK, state.Status);
        if (renege)
        {
            return await performer.MoveAsync(asked.Id, state.ETag, new { move = "renege", text = "Cannot after all" });
        }
        if (reportAfterDays is { } days)
        {
            _time.Advance(TimeSpan.FromDays(days));
            state = await performer.MoveAsync(asked.Id, state.ETag, new { move = "reportComplete" });
            Assert.Equal(HttpStatusCode.OK, state.Status);
            _time.Advance(TimeSpan.FromHours(assessHours));
            state = await customer.MoveAsync(asked.Id, state.ETag, new { move = "declareSatisfied" });
            Assert.Equal(HttpStatusCode.OK, state.Status);
        }
        return state;
    }

    private static async Task<JsonNode> FiguresAsync(HttpClient client, string query = "weeks=4")
    {
        var answer = await client.GetJsonAsync("/api/figures?" + query);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Body!;
    }

    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();

    [Fact]
    public async Task Each_person_sees_their_own_figures_as_computed_by_hand_from_their_histories()
    {
        // Bob: kept (reported on day 2 of 5, answered in 3 h), late (reported on day 3 of 2, answered in 1 h), reneged (Carol's).
        await LoopAsync(_alice, "bob@contoso.test", _bob, dueInDays: 5, answerHours: 3, reportAfterDays: 2, assessHours: 4);
        await LoopAsync(_alice, "bob@contoso.test", _bob, dueInDays: 2, answerHours: 1, reportAfterDays: 3, assessHours: 2);
        await LoopAsync(_carol, "bob@contoso.test", _bob, dueInDays: 5, answerHours: 2, renege: true);

        var bobs = await FiguresAsync(_bob);
        var totals = bobs["totals"]!;
        Assert.Equal((3, 1, 3, 1, 2), (Int(totals, "promises"), Int(totals, "kept"), Int(totals, "keptOrBroken"), Int(totals, "reneged"), Int(totals, "satisfiedFirstTime")));
        Assert.Equal(2, totals["averageHoursToAnswer"]!.GetValue<double>());
        Assert.Contains("You kept 1 of 3 promises by their due date in the last 4 weeks.", bobs["sentences"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains("You reneged on 1 of 3 promises in the last 4 weeks.", bobs["sentences"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["alice@contoso.test", "carol@contoso.test"], bobs["counterparts"]!.AsArray().Select(c => c!["email"]!.GetValue<string>()));
        Assert.Equal(4, bobs["byWeek"]!.AsArray().Count);
        Assert.Equal(3, bobs["byWeek"]!.AsArray().Sum(w => Int(w!, "loops")));

        // Per relationship: Bob with Carol is the one reneged promise.
        var withCarol = (await FiguresAsync(_bob, "weeks=13&with=carol@contoso.test"))["totals"]!;
        Assert.Equal((1, 0, 1), (Int(withCarol, "promises"), Int(withCarol, "kept"), Int(withCarol, "reneged")));

        // Alice's own: the customer's side only — (4 h + 2 h) / 2 to assess, and none of Bob's promise-keeping.
        var alices = (await FiguresAsync(_alice))["totals"]!;
        Assert.Equal((0, 0, 2), (Int(alices, "promises"), Int(alices, "keptOrBroken"), Int(alices, "assessments")));
        Assert.Equal(3, alices["averageHoursToAssess"]!.GetValue<double>());
        Assert.Equal(2, Int(alices, "satisfied"));

        // Dave was in none of it.
        Assert.Empty((await FiguresAsync(_dave))["sentences"]!.AsArray());
    }

    [Fact]
    public async Task The_weekly_digest_carries_each_persons_own_sentences_and_no_one_elses()
    {
        await LoopAsync(_alice, "bob@contoso.test", _bob, dueInDays: 5, answerHours: 3, reportAfterDays: 2, assessHours: 4);
        // Something for each to look at this week: Bob owes Alice an answer.
        var asked = await _alice.OpenAsync(new { concern = "Answer me", customer = "me", performer = "bob@contoso.test", conditions = "Yes or no", dueBy = _time.GetUtcNow().AddDays(3), start = "requested" });
        Assert.Equal(HttpStatusCode.Created, asked.Status);
        await FiguresAsync(_alice); // the follow-ups are done

        var run = await _api.Services.GetRequiredService<WeeklyDigestJob>().RunAsync(default);

        Assert.Equal(2, run.Sent);
        var bobs = _mail.Sent.Single(m => m.ToEmail == "bob@contoso.test").Html;
        var alices = _mail.Sent.Single(m => m.ToEmail == "alice@contoso.test").Html;
        Assert.Contains("You kept 1 of 1 promise by their due date in the last 4 weeks.", bobs);
        Assert.Contains("You answered 1 request in 3 hours on average.", bobs);
        Assert.Contains("You assessed reported work 4 hours after it was reported, on average.", alices);
        Assert.DoesNotContain("You kept", alices);
        Assert.DoesNotContain("assessed", bobs);
        // Beside the sentences, the weeks as a chart mail clients draw, readable in words too: Bob's one loop kept.
        Assert.Contains("1 kept, 0 broken</td>", bobs);
        Assert.Contains("background:#107c10", bobs);
        Assert.DoesNotContain("background:#c50f1f", bobs);
    }

    [Fact]
    public async Task A_persons_figures_are_one_storage_request()
    {
        await LoopAsync(_alice, "bob@contoso.test", _bob, dueInDays: 5, answerHours: 3, reportAfterDays: 2);
        await FiguresAsync(_bob, "weeks=52"); // tables created, the commit's follow-ups done

        using var measured = _api.Requests.Measure();
        await FiguresAsync(_bob, "weeks=52");

        Assert.Equal(1, measured.Count);
    }

    [Fact]
    public async Task Asking_for_a_window_other_than_4_13_or_52_weeks_is_a_problem()
    {
        var answer = await _bob.GetJsonAsync("/api/figures?weeks=7");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    private static async Task<string> TeamAsync(HttpClient creator, params string[] members)
    {
        var created = await ApiClient.Read(await creator.PostAsJsonAsync("/api/teams", new { name = "Platform", members }));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Id;
    }

    private static async Task<HttpStatusCode> OptAsync(HttpClient member, string team, bool optIn) =>
        (await member.PutAsJsonAsync($"/api/teams/{team}/membership", new { optIn })).StatusCode;

    [Fact]
    public async Task A_team_of_four_who_opted_in_sees_no_aggregate_and_no_one_else_sees_the_team()
    {
        var team = await TeamAsync(_alice, "bob@contoso.test", "carol@contoso.test", "dave@contoso.test", "erin@contoso.test");
        foreach (var member in new[] { _bob, _carol, _dave })
        {
            Assert.Equal(HttpStatusCode.OK, await OptAsync(member, team, true));
        }

        var seen = await _alice.GetJsonAsync($"/api/teams/{team}");
        Assert.Equal(HttpStatusCode.OK, seen.Status);
        Assert.Null(seen.Body!["aggregate"]);
        Assert.Null(seen.Body["network"]);
        Assert.Contains("5 people", seen.Body["withheld"]!.GetValue<string>());
        Assert.Equal(4, seen.Body["members"]!.AsArray().Count);

        // Named but not opted in, not named, another organisation: nothing, not even that it exists.
        foreach (var outsider in new[] { _erin, _frank, _mallory })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetJsonAsync($"/api/teams/{team}")).Status);
        }
        Assert.Equal(HttpStatusCode.NotFound, await OptAsync(_frank, team, true));
        Assert.Equal(HttpStatusCode.NotFound, await OptAsync(_mallory, team, true));
        Assert.Empty((await _frank.GetJsonAsync("/api/teams")).Body!["teams"]!.AsArray());
        var erins = Assert.Single((await _erin.GetJsonAsync("/api/teams")).Body!["teams"]!.AsArray());
        Assert.False(erins!["optedIn"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Five_who_opted_in_see_the_sum_of_their_figures_and_their_network_and_never_one_persons_figures()
    {
        await LoopAsync(_alice, "bob@contoso.test", _bob, dueInDays: 5, answerHours: 3, reportAfterDays: 2);
        await LoopAsync(_carol, "dave@contoso.test", _dave, dueInDays: 2, answerHours: 1, reportAfterDays: 3);
        await LoopAsync(_alice, "bob@contoso.test", _bob, dueInDays: 10, answerHours: 1); // open: in the network
        await LoopAsync(_carol, "frank@contoso.test", _frank, dueInDays: 10, answerHours: 1); // Frank is not in the team
        var team = await TeamAsync(_alice, "bob@contoso.test", "carol@contoso.test", "dave@contoso.test", "erin@contoso.test");
        foreach (var member in new[] { _bob, _carol, _dave, _erin })
        {
            Assert.Equal(HttpStatusCode.OK, await OptAsync(member, team, true));
        }
        await FiguresAsync(_carol); // Carol's and her performers' follow-ups are done

        var seen = await _bob.GetJsonAsync($"/api/teams/{team}?weeks=4");
        Assert.Equal(HttpStatusCode.OK, seen.Status);
        var aggregate = seen.Body!["aggregate"]!;
        // Four promises by members (Frank's is not counted); one kept by its date, one late.
        Assert.Equal((3, 1, 2), (Int(aggregate, "promises"), Int(aggregate, "kept"), Int(aggregate, "keptOrBroken")));
        Assert.Contains("The team kept 1 of 2 promises by their due date in the last 4 weeks.", seen.Body["sentences"]!.AsArray().Select(s => s!.GetValue<string>()));
        var edge = Assert.Single(seen.Body["network"]!.AsArray());
        Assert.Equal(("alice@contoso.test", "bob@contoso.test", 1), (edge!["customer"]!.GetValue<string>(), edge["performer"]!.GetValue<string>(), Int(edge, "open")));
        Assert.Equal(1, edge["byQuadrant"]!["Q3"]!.GetValue<int>());
        // Counts only: no one's figures, no counterpart names, no weeks.
        var text = seen.Body.ToJsonString();
        Assert.DoesNotContain("counterparts", text);
        Assert.DoesNotContain("byWeek", text);
        Assert.DoesNotContain("frank", text);

        // Erin leaves: four again, and the aggregate goes with her.
        Assert.Equal(HttpStatusCode.OK, await OptAsync(_erin, team, false));
        Assert.Null((await _bob.GetJsonAsync($"/api/teams/{team}")).Body!["aggregate"]);
        Assert.Equal(HttpStatusCode.NotFound, (await _erin.GetJsonAsync($"/api/teams/{team}")).Status);
    }
}
