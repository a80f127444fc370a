using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Workflow.Application;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// Roles through the HTTP API and the RoleCycles timer, with the clock in the test's hand: Bob saves the loop he
/// closed for Alice as a monthly role, the timer opens each cycle once (fired twice, crashed, raced, caught up after
/// downtime), both are told, and Bob hands the role to Carol, who takes one open cycle and leaves the other.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class RoleApiTests(Azurite azurite) : IAsyncLifetime
{
    // 09:00 on a Wednesday in Berlin, in winter time.
    private static readonly DateTimeOffset Start = new(DateTimeOffset.UtcNow.Year + 1, 1, 14, 8, 0, 0, TimeSpan.Zero);

    // Starts at the real time, so the tokens signed in with are valid by the real clock that checks them; then moves on to Start.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RecordingMailSender _mail = new();
    private ApiFactory _api = null!;
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;
    private HttpClient _carol = null!;
    private HttpClient _mallory = null!;

    public async Task InitializeAsync()
    {
        var (time, mail) = (_time, _mail);
        _api = new ApiFactory(azurite, services: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IMailSender>(mail);
        });
        _alice = await _api.SignedInAsync("alice@contoso.test");
        _bob = await _api.SignedInAsync("bob@contoso.test");
        _carol = await _api.SignedInAsync("carol@contoso.test");
        _mallory = await _api.SignedInAsync("mallory@fabrikam.test");
        _time.SetUtcNow(Start);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>A loop Bob promised Alice and she declared satisfied: closed, ready to be saved as a role.</summary>
    private async Task<ApiClient.Answer> ClosedLoopAsync(string concern = "Board report")
    {
        var opened = await _bob.OpenAsync(new
        {
            concern, customer = "alice@contoso.test", performer = "me", conditions = "Two pages, figures checked", dueBy = Start.AddDays(5), start = "promised",
        });
        var reported = await _bob.MoveAsync(opened.Id, opened.ETag, new { move = "reportComplete" });
        var satisfied = await _alice.MoveAsync(opened.Id, reported.ETag, new { move = "declareSatisfied" });
        Assert.Equal("satisfied", satisfied.State);
        return satisfied;
    }

    private static async Task<ApiClient.Answer> PostAsync(HttpClient client, string path, object body, string? etag = null, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return await ApiClient.Read(await client.SendAsync(request));
    }

    /// <summary>Bob's monthly role from the closed loop: due 09:00 Berlin on the 20th, its cycle opening a week before.</summary>
    private async Task<ApiClient.Answer> SaveMonthlyAsync(string loopId, string name = "Board reporting") =>
        await PostAsync(_bob, $"/api/workflows/{loopId}/role", new { name, schedule = "0 9 20 * *", timeZone = "Europe/Berlin", leadDays = 7, start = "request" });

    private async Task<string> RunTimerAsync()
    {
        using var host = _api.CreateHostClient();
        var response = await host.PostAsync("/RoleCycles", JsonContent.Create(new { Data = new { timer = new { IsPastDue = false } }, Metadata = new { } }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        await StorageSnapshot.SettleAsync(azurite, _api.TablePrefix);
        return body;
    }

    private static JsonArray Items(ApiClient.Answer list) => list.Body!["items"]!.AsArray();

    private static DateTimeOffset Berlin20th(int monthsAhead) =>
        new(Start.Year, Start.Month + monthsAhead, 20, 8, 0, 0, TimeSpan.Zero); // 09:00 in Berlin, winter time

    [Fact]
    public async Task A_closed_loop_saved_as_a_monthly_role_has_its_cycle_opened_once_by_a_timer_that_fires_twice_and_both_are_told()
    {
        var loop = await ClosedLoopAsync();

        var saved = await SaveMonthlyAsync(loop.Id);

        Assert.Equal(HttpStatusCode.Created, saved.Status);
        Assert.Equal("\"" + saved.Body!["version"]!.GetValue<int>() + "\"", saved.ETag);
        var accountability = saved.Body["accountabilities"]![0]!;
        Assert.Equal(("Board report", "Two pages, figures checked", "alice@contoso.test"),
            (accountability["concern"]!.GetValue<string>(), accountability["conditions"]!.GetValue<string>(), accountability["customer"]!["email"]!.GetValue<string>()));
        Assert.Equal(Berlin20th(0), accountability["nextDue"]![0]!.GetValue<DateTimeOffset>());

        await RunTimerAsync();
        await RunTimerAsync();

        var bobs = await _bob.GetJsonAsync("/api/workflows?view=iOwe");
        var cycle = Assert.Single(Items(bobs), i => i!["concern"]!.GetValue<string>() == "Board report" && i["id"]!.GetValue<string>() != loop.Id)!;
        var cycleId = cycle["id"]!.GetValue<string>();
        Assert.Equal(WorkflowService.CycleId(saved.Id, accountability["id"]!.GetValue<string>(), Berlin20th(0)), cycleId);
        var asAlice = await _alice.GetJsonAsync($"/api/workflows/{cycleId}");
        Assert.Equal(("requested", "customer", "Board reporting"),
            (asAlice.State, asAlice.Body!["yourRole"]!.GetValue<string>(), asAlice.Body["cycle"]!["roleName"]!.GetValue<string>()));
        Assert.Equal(Berlin20th(0), asAlice.Body["terms"]!["proposed"]!["dueBy"]!.GetValue<DateTimeOffset>());

        await StorageSnapshot.SettleAsync(azurite, _api.TablePrefix);
        await _api.Services.GetRequiredService<NotificationMailer>().RunAsync(default);
        var toBob = Assert.Single(_mail.Sent, m => m.ToEmail == "bob@contoso.test" && m.Text!.Contains("cycle", StringComparison.Ordinal));
        Assert.Contains("A new cycle of your role 'Board reporting' has started: it is due", toBob.Text, StringComparison.Ordinal);
        var toAlice = Assert.Single(_mail.Sent, m => m.ToEmail == "alice@contoso.test" && m.Text!.Contains("cycle", StringComparison.Ordinal));
        Assert.Contains("A new cycle of Bob Baker's role 'Board reporting' has started for you", toAlice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_performer_saves_a_loop_as_a_role_the_customer_is_told_why_and_a_stranger_finds_nothing()
    {
        var loop = await ClosedLoopAsync();
        var body = new { name = "Board reporting", schedule = "0 9 20 * *" };

        var byAlice = await PostAsync(_alice, $"/api/workflows/{loop.Id}/role", body);
        var byMallory = await PostAsync(_mallory, $"/api/workflows/{loop.Id}/role", body);

        Assert.Equal((HttpStatusCode.Forbidden, "https://workflow.dev/problems/not-yours"), (byAlice.Status, byAlice.ProblemType));
        Assert.Contains("Only the performer", byAlice.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, byMallory.Status);
    }

    [Theory]
    [InlineData("0 0 9 20 * *", "six fields", "fields")]
    [InlineData("every month", "not cron", "fields")]
    [InlineData("0 9 32 * *", "no 32nd", "not a cron expression")]
    [InlineData("*/5 * * * *", "too often", "more often than daily")]
    public async Task A_schedule_that_is_not_five_field_cron_at_most_daily_is_refused_with_what_is_wrong(string schedule, string because, string said)
    {
        var loop = await ClosedLoopAsync();

        var answer = await PostAsync(_bob, $"/api/workflows/{loop.Id}/role", new { name = "Board reporting", schedule });

        Assert.True(answer.Status == HttpStatusCode.BadRequest, because);
        Assert.Contains(said, answer.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_time_zone_or_a_lead_time_out_of_range_is_refused()
    {
        var loop = await ClosedLoopAsync();

        var zone = await PostAsync(_bob, $"/api/workflows/{loop.Id}/role", new { name = "R", schedule = "0 9 20 * *", timeZone = "Mars/Olympus" });
        var lead = await PostAsync(_bob, $"/api/workflows/{loop.Id}/role", new { name = "R", schedule = "0 9 20 * *", leadDays = 91 });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (zone.Status, lead.Status));
        Assert.Contains("Mars/Olympus", zone.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schedule_preview_names_the_next_three_occurrences_in_the_holders_zone()
    {
        var preview = await _bob.GetJsonAsync("/api/roles/schedule-preview?schedule=" + Uri.EscapeDataString("0 9 20 * *") + "&timeZone=Europe/Berlin");
        var bad = await _bob.GetJsonAsync("/api/roles/schedule-preview?schedule=nonsense");

        Assert.Equal([Berlin20th(0), Berlin20th(1), Berlin20th(2)], preview.Body!["next"]!.AsArray().Select(n => n!.GetValue<DateTimeOffset>()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    [Fact]
    public async Task After_downtime_the_timer_records_the_past_due_cycles_as_missed_and_opens_what_is_still_ahead_once()
    {
        var saved = await SaveMonthlyAsync((await ClosedLoopAsync()).Id);
        // Down until three days before the occurrence two months on: this month's and next month's 20th have passed.
        _time.SetUtcNow(Berlin20th(2).AddDays(-3));

        await RunTimerAsync();
        await RunTimerAsync();

        var role = await _bob.GetJsonAsync($"/api/roles/{saved.Id}");
        var missed = Assert.Single(role.Body!["missed"]!.AsArray())!;
        Assert.Equal((2, Berlin20th(0), Berlin20th(1)),
            (missed["count"]!.GetValue<int>(), missed["first"]!.GetValue<DateTimeOffset>(), missed["last"]!.GetValue<DateTimeOffset>()));
        var cycle = Assert.Single(role.Body["cycles"]!.AsArray())!;
        Assert.Equal(Berlin20th(2), cycle["due"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_run_that_crashed_after_opening_a_cycle_and_two_runs_racing_open_it_once()
    {
        var saved = await SaveMonthlyAsync((await ClosedLoopAsync()).Id);
        var store = _api.Services.GetRequiredService<IRoleStore>();
        var role = (await store.LoadAsync(saved.Id, default))!.Role;
        // The crash: the cycle was created, the role never heard of it.
        var crashed = await _api.Services.GetRequiredService<WorkflowService>().OpenCycleAsync(role, role.Accountabilities[0], Berlin20th(0), default);

        var job = _api.Services.GetRequiredService<RoleCycleJob>();
        var runs = await Task.WhenAll(job.RunAsync(default), job.RunAsync(default));

        var recorded = (await store.LoadAsync(saved.Id, default))!.Role;
        Assert.Equal([crashed.Id], recorded.Cycles.Select(c => c.WorkflowId));
        Assert.Equal(0, runs.Sum(r => r.Failed));
        await StorageSnapshot.SettleAsync(azurite, _api.TablePrefix);
        var owed = await _bob.GetJsonAsync("/api/workflows?view=iOwe");
        Assert.Single(Items(owed), i => i!["concern"]!.GetValue<string>() == "Board report" && i["state"]!.GetValue<string>() == "requested");
    }

    [Fact]
    public async Task Handing_over_moves_future_cycles_to_the_new_holder_who_takes_one_open_cycle_and_leaves_the_other()
    {
        var saved = await SaveMonthlyAsync((await ClosedLoopAsync()).Id);
        var added = await PostAsync(_bob, $"/api/roles/{saved.Id}/accountabilities",
            new { concern = "Board minutes", conditions = "Minutes out in two days", customer = "alice@contoso.test", schedule = "0 9 21 * *", timeZone = "Europe/Berlin", leadDays = 10 },
            saved.ETag);
        Assert.Equal(HttpStatusCode.OK, added.Status);
        await RunTimerAsync();
        var before = await _bob.GetJsonAsync($"/api/roles/{saved.Id}");
        var cycles = before.Body!["cycles"]!.AsArray().Select(c => c!["workflowId"]!.GetValue<string>()).ToArray();
        Assert.Equal(2, cycles.Length);

        var stale = await PostAsync(_bob, $"/api/roles/{saved.Id}/handover", new { to = "carol@contoso.test" }, saved.ETag);
        var handed = await PostAsync(_bob, $"/api/roles/{saved.Id}/handover", new { to = "carol@contoso.test" }, before.ETag);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal((HttpStatusCode.OK, "carol@contoso.test"), (handed.Status, handed.Body!["holder"]!["email"]!.GetValue<string>()));
        var holders = handed.Body["holders"]!.AsArray();
        Assert.Equal(["bob@contoso.test", "carol@contoso.test"], holders.Select(h => h!["holder"]!["email"]!.GetValue<string>()));
        Assert.NotNull(holders[0]!["to"]);
        Assert.Null(holders[1]!["to"]);

        var carols = await _carol.GetJsonAsync("/api/roles");
        var offered = Assert.Single(carols.Body!["offeredToYou"]!.AsArray())!;
        Assert.Equal(cycles.Order(), offered["offers"]!.AsArray().Select(o => o!["workflowId"]!.GetValue<string>()).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(_mallory, $"/api/roles/{saved.Id}/offers/{cycles[0]}", new { accept = true }, handed.ETag)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(_bob, $"/api/roles/{saved.Id}/offers/{cycles[0]}", new { accept = true }, handed.ETag)).Status);

        var accepted = await PostAsync(_carol, $"/api/roles/{saved.Id}/offers/{cycles[0]}", new { accept = true }, handed.ETag);
        var left = await PostAsync(_carol, $"/api/roles/{saved.Id}/offers/{cycles[1]}", new { accept = false }, accepted.ETag);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (accepted.Status, left.Status));
        Assert.Empty(left.Body!["offers"]!.AsArray());
        var takenAsAlice = await _alice.GetJsonAsync($"/api/workflows/{cycles[0]}");
        var keptAsAlice = await _alice.GetJsonAsync($"/api/workflows/{cycles[1]}");
        Assert.Equal(("carol@contoso.test", "bob@contoso.test"),
            (takenAsAlice.Body!["performer"]!["email"]!.GetValue<string>(), keptAsAlice.Body!["performer"]!["email"]!.GetValue<string>()));
        Assert.Equal("performer", (await _carol.GetJsonAsync($"/api/workflows/{cycles[0]}")).Body!["yourRole"]!.GetValue<string>());
        var history = await _alice.HistoryAsync(cycles[0]);
        Assert.Equal([("requestRecorded", "Bob Baker"), ("handoverOffered", "Bob Baker"), ("performerHandedOver", "Carol Chen")],
            history.Where(e => e!["event"]!.GetValue<string>() is "requestRecorded" or "handoverOffered" or "performerHandedOver")
                .Select(e => (e!["event"]!.GetValue<string>(), e["who"]!.GetValue<string>())));
        Assert.Equal(HttpStatusCode.NotFound, (await _bob.GetJsonAsync($"/api/workflows/{cycles[0]}")).Status);
        await StorageSnapshot.SettleAsync(azurite, _api.TablePrefix);
        var bobsList = await _bob.GetJsonAsync("/api/workflows?view=iOwe");
        var carolsList = await _carol.GetJsonAsync("/api/workflows?view=iOwe");
        Assert.DoesNotContain(cycles[0], bobsList.Ids());
        Assert.Contains(cycles[1], bobsList.Ids());
        Assert.Equal([cycles[0]], carolsList.Ids());

        // The customer was told of the offer, of the cycle that changed hands and of the one left; Bob, who keeps it, that it was left with him.
        await _api.Services.GetRequiredService<NotificationMailer>().RunAsync(default);
        var toAlice = string.Join("\n", _mail.Sent.Where(m => m.ToEmail == "alice@contoso.test").Select(m => m.Text));
        Assert.Contains("Bob Baker handed the role over to Carol Chen, who is offered this cycle", toAlice, StringComparison.Ordinal);
        Assert.Contains("Carol Chen took this cycle over from Bob Baker and is its performer now.", toAlice, StringComparison.Ordinal);
        Assert.Contains("Carol Chen did not take this cycle over: Bob Baker remains its performer.", toAlice, StringComparison.Ordinal);
        Assert.Contains("Carol Chen left this cycle with you: you remain its performer.",
            string.Join("\n", _mail.Sent.Where(m => m.ToEmail == "bob@contoso.test").Select(m => m.Text)), StringComparison.Ordinal);

        // The next month's cycles open with Carol as their performer.
        _time.SetUtcNow(Berlin20th(1).AddDays(-6));
        await RunTimerAsync();
        var after = await _carol.GetJsonAsync($"/api/roles/{saved.Id}");
        var next = Assert.Single(after.Body!["cycles"]!.AsArray(), c => c!["due"]!.GetValue<DateTimeOffset>() == Berlin20th(1))!;
        Assert.Equal("carol@contoso.test", next["performer"]!["email"]!.GetValue<string>());
        var bobsRoles = await _bob.GetJsonAsync("/api/roles");
        Assert.Equal(saved.Id, Assert.Single(bobsRoles.Body!["heldBefore"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Empty(bobsRoles.Body["holding"]!.AsArray());
    }

    [Fact]
    public async Task A_role_is_seen_only_by_its_holders_and_those_offered_its_cycles_and_changed_only_by_its_holder()
    {
        var created = await PostAsync(_bob, "/api/roles", new
        {
            name = "Monthly close",
            accountabilities = new[] { new { concern = "Close the books", conditions = "Ledger reconciled", customer = "alice@contoso.test", schedule = "0 9 1 * *" } },
        }, key: "create-close");
        var retried = await PostAsync(_bob, "/api/roles", new
        {
            name = "Monthly close",
            accountabilities = new[] { new { concern = "Close the books", conditions = "Ledger reconciled", customer = "alice@contoso.test", schedule = "0 9 1 * *" } },
        }, key: "create-close");

        Assert.Equal((HttpStatusCode.Created, created.Id), (created.Status, retried.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await _alice.GetJsonAsync($"/api/roles/{created.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _mallory.GetJsonAsync($"/api/roles/{created.Id}")).Status);
        var aid = created.Body!["accountabilities"]![0]!["id"]!.GetValue<string>();
        using var byAlice = new HttpRequestMessage(HttpMethod.Delete, $"/api/roles/{created.Id}/accountabilities/{aid}");
        byAlice.Headers.TryAddWithoutValidation("If-Match", created.ETag);
        Assert.Equal(HttpStatusCode.NotFound, (await _alice.SendAsync(byAlice)).StatusCode);
        using var byBob = new HttpRequestMessage(HttpMethod.Delete, $"/api/roles/{created.Id}/accountabilities/{aid}");
        byBob.Headers.TryAddWithoutValidation("If-Match", created.ETag);
        var removed = await ApiClient.Read(await _bob.SendAsync(byBob));
        Assert.Equal(HttpStatusCode.OK, removed.Status);
        Assert.Empty(removed.Body!["accountabilities"]!.AsArray());
    }
}
