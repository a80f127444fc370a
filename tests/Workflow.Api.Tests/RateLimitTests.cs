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
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Writes_beyond_a_users_limit_are_429_with_Retry_After_and_change_nothing()
    {
        var alice = await _api.SignedInAsync("alice@contoso.test");
        var bob = await _api.SignedInAsync("bob@contoso.test");
        var opened = await alice.OpenForBobAsync();
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
        Assert.Equal(3, (await alice.HistoryAsync(opened.Id)).Count);

        // Reads are not limited, and another person's writes are counted separately.
        Assert.Equal(HttpStatusCode.OK, (await alice.GetJsonAsync($"/api/workflows/{opened.Id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await bob.MoveAsync(opened.Id, etag, new { move = "note", text = "bob is fine" })).Status);
    }
}
