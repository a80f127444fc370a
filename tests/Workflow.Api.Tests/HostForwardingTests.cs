using System.Net;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// The routes outside /api/ — the readiness probe and the WeeklyReview timer — answer the Functions host only. A
/// caller on the internet reaches the handler only through the host's HTTP function, which forwards
/// <c>api/{*path}</c> with a path it normalises itself (<see cref="FunctionsHostStub"/>); every spelling that makes
/// that path leave /api/ must meet a 404, and the digests must stay unsent.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class HostForwardingTests(Azurite azurite) : IAsyncLifetime
{
    private const string TimerPayload = """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"IsPastDue":false}},"Metadata":{}}""";
    private const string PublicHost = "workflow-func-abc123.azurewebsites.net";

    private readonly string _outbox = Directory.CreateTempSubdirectory("outbox-").FullName;
    private HandlerProcess _handler = null!;
    private FunctionsHostStub _host = null!;

    public async Task InitializeAsync()
    {
        _handler = new HandlerProcess(azurite, "f" + Guid.NewGuid().ToString("N")[..12],
            new Dictionary<string, string> { ["Mail__OutboxPath"] = _outbox });
        await _handler.StartAsync();
        _host = await FunctionsHostStub.StartAsync(_handler.Port);

        // Something for the weekly review to mail: Bob owes Alice an answer.
        using var alice = await _handler.SignedInAsync("alice@contoso.test");
        var opened = await alice.OpenForBobAsync("Something to review");
        Assert.Equal(HttpStatusCode.OK, (await alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" })).Status);
        // Reading one's lists waits for the index (and the people registry the review mails from) to catch up.
        using var bob = await _handler.SignedInAsync("bob@contoso.test");
        Assert.Single((await bob.GetJsonAsync("/api/workflows?view=myMove")).Body!["items"]!.AsArray());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _handler.DisposeAsync();
        Directory.Delete(_outbox, recursive: true);
    }

    /// <summary>Spellings of "leave /api/ and go to /WeeklyReview", as they would be typed into a URL.</summary>
    public static TheoryData<string> TraversalsToTheTimer => new()
    {
        "/api/..%5CWeeklyReview",
        "/api/..%5cWeeklyReview",
        "/api/%2e%2e%5cWeeklyReview",
        "/api/%2E%2E%5CWeeklyReview",
        "/api/.%2e%5CWeeklyReview",
        "/api/..\\WeeklyReview",
        "/api/x/..%5C..%5CWeeklyReview",
        "/api/x%5C..%5C..%5CWeeklyReview",
        "/api/.%5C..%5CWeeklyReview",
        "/api/..%5CweeklyREVIEW",
        "/api/..%5CWeeklyReview?code=x",
        "/api/..%5CWeeklyReview%23",
        "/api/..%5CWeeklyReview%3Fx=1",
        "/api/..%5C.%5CWeeklyReview",
        "/api/%5C..%5C..%5CWeeklyReview",
    };

    [Theory]
    [MemberData(nameof(TraversalsToTheTimer))]
    public async Task A_forwarded_request_that_lands_on_the_timer_route_is_refused_and_mails_nothing(string target)
    {
        var status = await _host.SendRawAsync("POST", target, PublicHost, "X-Forwarded-For: 203.0.113.7");

        // The host really delivers it to the timer's path: the refusal is the handler's, not the stub's.
        Assert.Contains(_host.Forwarded, p => p.Split('?')[0].Equals("/WeeklyReview", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Empty(Directory.GetFiles(_outbox, "*.eml"));
    }

    [Theory]
    [MemberData(nameof(TraversalsToTheTimer))]
    public async Task Even_without_front_end_headers_the_callers_host_name_gives_a_forwarded_request_away(string target)
    {
        // The stub's own address as Host: what a caller that reached the host directly (no front end) would send.
        var status = await _host.SendRawAsync("POST", target, $"127.0.0.1:{_host.Port}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Empty(Directory.GetFiles(_outbox, "*.eml"));
    }

    [Theory]
    [InlineData("/api/..%5C")]
    [InlineData("/api/%2e%2e%5c")]
    [InlineData("/api/..\\")]
    [InlineData("/api/..%5Cnothing-here")]
    public async Task The_readiness_probe_and_unknown_paths_outside_api_are_not_reachable_by_forwarding(string target)
    {
        Assert.Equal(HttpStatusCode.NotFound, await _host.SendRawAsync("GET", target, PublicHost));
        Assert.DoesNotContain(_host.Forwarded, p => p.StartsWith("/api", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("/api/..%5CNotifications")]
    [InlineData("/api/%2e%2e%5cnotifications")]
    [InlineData("/api/x%5C..%5C..%5CNotifications%3Fx=1")]
    [InlineData("/api/..%5CRoleCycles")]
    [InlineData("/api/%2e%2e%5croleCycles")]
    public async Task A_forwarded_request_that_lands_on_the_notifications_or_role_cycles_timer_is_refused_and_mails_nothing(string target)
    {
        var status = await _host.SendRawAsync("POST", target, PublicHost, "X-Forwarded-For: 203.0.113.7");

        Assert.Contains(_host.Forwarded, p => p.Split('?')[0] is var path
            && (path.Equals("/Notifications", StringComparison.OrdinalIgnoreCase) || path.Equals("/RoleCycles", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Empty(Directory.GetFiles(_outbox, "*.eml"));
    }

    [Fact]
    public async Task A_timer_invocation_forged_with_the_hosts_own_headers_is_still_refused()
    {
        var status = await _host.SendRawAsync("POST", "/api/..%5CWeeklyReview", PublicHost,
            "X-Azure-Functions-InvocationId: 3f2504e0-4f89-11d3-9a0c-0305e82c3301", "User-Agent: Azure-Functions-Host/4.1037.0.0");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Empty(Directory.GetFiles(_outbox, "*.eml"));
    }

    [Fact]
    public async Task The_hosts_own_timer_invocation_still_runs_the_review_and_forwarded_api_requests_still_work()
    {
        using var reply = await _host.InvokeAsync("WeeklyReview", TimerPayload);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.True(Directory.GetFiles(_outbox, "*.eml").Length > 0, await reply.Content.ReadAsStringAsync());

        using var caller = _host.CreatePublicClient();
        caller.DefaultRequestHeaders.Host = PublicHost;
        Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/api/openapi.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await caller.GetAsync("/api/workflows")).StatusCode);
    }

    [Fact]
    public async Task A_request_straight_to_the_handler_without_an_invocation_id_does_not_run_the_timer()
    {
        // Only the host can dial the handler's port, and it always names the invocation.
        using var direct = _handler.CreateClient();
        var reply = await direct.PostAsync("/WeeklyReview", new StringContent(TimerPayload, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Empty(Directory.GetFiles(_outbox, "*.eml"));
    }
}
