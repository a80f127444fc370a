using System.Net;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>At most Limits:OpensTowardsOnePersonPerDay workflows opened by one person naming the same other person per UTC day.</summary>
[Collection(SharedAzurite.Name)]
public sealed class OpenLimitTests(Azurite azurite) : IAsyncLifetime
{
    private const int Limit = 3;

    private readonly ApiFactory _api = new(azurite, settings: new Dictionary<string, string?> { ["Limits:OpensTowardsOnePersonPerDay"] = $"{Limit}" });
    /// <summary>One due date for the whole test, so a retried open is the same request.</summary>
    private readonly DateTimeOffset _dueBy = DateTimeOffset.UtcNow.AddDays(3);
    private HttpClient _alice = null!;

    public async Task InitializeAsync() => _alice = await _api.SignedInAsync("alice@contoso.test");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<ApiClient.Answer> OpenTowardsAsync(string performer, string? key = null) =>
        _alice.OpenAsync(new { concern = "Slides", customer = "me", performer, conditions = "Ten slides", dueBy = _dueBy }, key);

    [Fact]
    public async Task Opens_over_the_daily_limit_towards_one_person_are_429_with_retry_after_and_store_nothing()
    {
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await OpenTowardsAsync("bob@contoso.test")).Status);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workflows")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { concern = "One too many", customer = "me", performer = "BOB@contoso.test" }),
        };
        var response = await _alice.SendAsync(request);
        var over = await ApiClient.Read(response);

        Assert.Equal(HttpStatusCode.TooManyRequests, over.Status);
        Assert.EndsWith("/too-many-opens", over.ProblemType);
        Assert.Contains($"Limits:OpensTowardsOnePersonPerDay = {Limit}", over.Detail);
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var untilMidnight = (DateTimeOffset.UtcNow.Date.AddDays(1) - DateTimeOffset.UtcNow.UtcDateTime).TotalSeconds;
        Assert.InRange(retryAfter, 1, Math.Ceiling(untilMidnight) + 1);
        Assert.Equal(Limit, (await _alice.GetJsonAsync("/api/workflows")).Ids().Length);
    }

    [Fact]
    public async Task Another_recipient_is_unaffected_by_the_limit_reached_towards_one()
    {
        for (var i = 0; i < Limit; i++)
        {
            await OpenTowardsAsync("bob@contoso.test");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await OpenTowardsAsync("bob@contoso.test")).Status);
        Assert.Equal(HttpStatusCode.Created, (await OpenTowardsAsync("carol@contoso.test")).Status);
    }

    [Fact]
    public async Task A_retry_of_an_open_that_succeeded_is_answered_as_before_even_at_the_limit()
    {
        var first = await OpenTowardsAsync("bob@contoso.test", key: "slides-1");
        for (var i = 1; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await OpenTowardsAsync("bob@contoso.test")).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await OpenTowardsAsync("bob@contoso.test")).Status);

        var retry = await OpenTowardsAsync("bob@contoso.test", key: "slides-1");

        Assert.Equal((HttpStatusCode.Created, first.Id, first.ETag), (retry.Status, retry.Id, retry.ETag));
        Assert.Equal(first.Body!.ToJsonString(), retry.Body!.ToJsonString());
        Assert.Equal(Limit, (await _alice.GetJsonAsync("/api/workflows")).Ids().Length);
    }

    [Fact]
    public async Task A_retry_uses_a_place_before_it_is_answered_from_its_first_attempt()
    {
        // Looking the key up before counting would cost a read on every open: the limit errs towards fewer opens instead.
        var first = await OpenTowardsAsync("bob@contoso.test", key: "slides-1");
        var retry = await OpenTowardsAsync("bob@contoso.test", key: "slides-1");
        Assert.Equal((HttpStatusCode.Created, first.Id), (retry.Status, retry.Id));

        for (var i = 2; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await OpenTowardsAsync("bob@contoso.test")).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await OpenTowardsAsync("bob@contoso.test")).Status);
        Assert.Equal(Limit - 1, (await _alice.GetJsonAsync("/api/workflows")).Ids().Length);
    }

    [Fact]
    public async Task Concurrent_clients_at_the_edge_of_the_limit_open_exactly_the_limit()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, Limit * 4).Select(_ => _api.SignedInAsync("alice@contoso.test")));

        var answers = await Task.WhenAll(clients.Select(c =>
            c.OpenAsync(new { concern = "At once", customer = "me", performer = "dave@contoso.test" })));

        Assert.Equal(Limit, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.Status));
        Assert.Equal(Limit, (await _alice.GetJsonAsync("/api/workflows")).Ids().Length);
    }
}
