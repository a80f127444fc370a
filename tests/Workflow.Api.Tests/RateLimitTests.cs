using System.Net;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

[Collection(SharedAzurite.Name)]
public sealed class RateLimitTests(Azurite azurite) : IAsyncLifetime
{
    private readonly ApiFactory _api = new(azurite, settings: new Dictionary<string, string?>
    {
        ["RateLimits:WriteBurst"] = "3",
        ["RateLimits:WritesPerMinute"] = "6",
        ["RateLimits:ReadBurst"] = "5",
        ["RateLimits:ReadsPerMinute"] = "6",
        ["RateLimits:AnonymousBurst"] = "4",
        ["RateLimits:AnonymousPerMinute"] = "6",
        ["RateLimits:GuestLinkBurst"] = "3",
        ["RateLimits:GuestLinkPerMinute"] = "6",
        ["RateLimits:AllGuestLinksBurst"] = "100",
        ["RateLimits:AllGuestLinksPerMinute"] = "6",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Writes_beyond_a_users_limit_are_429_with_Retry_After_and_change_nothing()
    {
        var alice = await _api.SignedInAsync("alice@contoso.test");
        var bob = await _api.SignedInAsync("bob@contoso.test");
        var opened = await alice.OpenForBobAsync(start: "requested");
        var etag = opened.ETag;
        for (var i = 0; i < 2; i++)
        {
            var noted = await alice.MoveAsync(opened.Id, etag, new { move = "note", text = $"note {i}" });
            Assert.Equal(HttpStatusCode.OK, noted.Status);
            etag = noted.ETag;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/workflows/{opened.Id}/moves")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { move = "note", text = "one too many" }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        var limited = await alice.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(4, (await alice.HistoryAsync(opened.Id)).Count);

        // Reads are counted apart from writes, and another person's writes apart from Alice's.
        Assert.Equal(HttpStatusCode.OK, (await alice.GetJsonAsync($"/api/workflows/{opened.Id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await bob.MoveAsync(opened.Id, etag, new { move = "note", text = "bob is fine" })).Status);
    }

    [Fact]
    public async Task Reads_beyond_a_users_limit_are_429_with_Retry_After_and_other_peoples_reads_go_on()
    {
        var alice = await _api.SignedInAsync("alice@contoso.test");
        var bob = await _api.SignedInAsync("bob@contoso.test");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await alice.GetJsonAsync("/api/workflows")).Status);
        }

        var limited = await alice.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("https://workflow.dev/problems/too-many-requests", (await ApiClient.Read(limited)).ProblemType);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetJsonAsync("/api/workflows")).Status);
    }

    [Fact]
    public async Task Anonymous_requests_share_one_limit_that_neither_signed_in_users_nor_the_Functions_host_feel()
    {
        var alice = await _api.SignedInAsync("alice@contoso.test"); // The local sign-in is anonymous too: 1 of 4.
        using var anonymous = _api.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/openapi.json")).StatusCode);
        }

        var limited = await anonymous.GetAsync("/api/openapi.json");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetJsonAsync("/api/workflows")).Status);
        using var functionsHost = _api.CreateHostClient();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await functionsHost.GetAsync("/")).StatusCode);
        }
    }

    [Fact]
    public async Task Each_personal_link_has_its_own_limit_apart_from_other_links_and_from_anonymous_callers()
    {
        var link = Application.GuestTokens.New();
        using var holder = _api.CreateClient();
        holder.DefaultRequestHeaders.Add("Workflow-Link", link);
        for (var i = 0; i < 3; i++)
        {
            // Not a link that was ever mailed: refused, but counted all the same.
            Assert.Equal(HttpStatusCode.NotFound, (await holder.GetAsync("/api/guest/workflow")).StatusCode);
        }

        var limited = await holder.GetAsync("/api/guest/workflow");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        using var another = _api.CreateClient();
        another.DefaultRequestHeaders.Add("Workflow-Link", Application.GuestTokens.New());
        Assert.Equal(HttpStatusCode.NotFound, (await another.GetAsync("/api/guest/workflow")).StatusCode);
        using var anonymous = _api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/openapi.json")).StatusCode);

        // A link header on another route is just an anonymous request.
        Assert.Equal(HttpStatusCode.OK, (await holder.GetAsync("/api/openapi.json")).StatusCode);
    }

    [Fact]
    public async Task Making_up_tokens_buys_nothing_all_links_share_one_bucket_too()
    {
        await using var api = new ApiFactory(azurite, settings: new Dictionary<string, string?>
        {
            ["RateLimits:GuestLinkBurst"] = "10",
            ["RateLimits:AllGuestLinksBurst"] = "2",
            ["RateLimits:AllGuestLinksPerMinute"] = "6",
        });
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var invented = api.CreateClient();
            invented.DefaultRequestHeaders.Add("Workflow-Link", Application.GuestTokens.New());
            answers.Add((await invented.GetAsync("/api/guest/workflow")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], answers);
    }
}
