using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// Thousands of generated malformed requests (<see cref="RequestFuzzer"/>) against every route of the API in process.
/// Every answer must be a 4xx problem details (or a harmless read), never a 5xx — and storage must not change at all.
/// The same generator also runs through the Functions host's forwarding: <see cref="PipelineFuzzTests"/>.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class FuzzTests(Azurite azurite) : IAsyncLifetime
{
    private const int Requests = 3000;
    private readonly ApiFactory _api = new(azurite);
    private HttpClient _alice = null!;
    private HttpClient _mallory = null!;
    private string _id = "";
    private string _closedId = "";

    public async Task InitializeAsync()
    {
        _alice = await _api.SignedInAsync("alice@contoso.test");
        _mallory = await _api.SignedInAsync("mallory@fabrikam.test");
        var bob = await _api.SignedInAsync("bob@contoso.test");
        var opened = await _alice.OpenForBobAsync(source: new { key = "thread:fuzz", kind = "message", subject = "Fuzz" });
        var asked = await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        await bob.MoveAsync(opened.Id, asked.ETag, new { move = "promise" });
        _id = opened.Id;
        var closed = await _alice.OpenForBobAsync("closed one");
        await _alice.MoveAsync(closed.Id, closed.ETag, new { move = "withdraw" });
        _closedId = closed.Id;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Thousands_of_malformed_requests_get_4xx_problem_details_and_change_nothing()
    {
        await StorageSnapshot.SettleAsync(azurite, _api.TablePrefix);
        var before = await StorageSnapshot.TakeAsync(azurite, _api.TablePrefix);
        using var anonymous = _api.CreateClient();

        var (failures, statuses) = await new RequestFuzzer(_alice, _mallory, anonymous, _id, _closedId, 20261124).RunAsync(Requests);

        Assert.True(failures.Count == 0, $"{failures.Count} bad answers, e.g.:\n{string.Join("\n", failures.Take(15))}");
        // The generator reached every kind of refusal, not just one.
        Assert.True(RequestFuzzer.ExpectedRefusals.All(statuses.Contains), "Statuses seen: " + string.Join(", ", statuses.Order()));
        Assert.Equal(before, await StorageSnapshot.TakeAsync(azurite, _api.TablePrefix));
    }
}
