using Workflow.Api.Storage;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// The daily open count against Azurite, with two ledgers on the same tables standing for two instances: each writes
/// straight over the count it last saw, and the ETag still lets only one of them take each place.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class OpenLedgerTests(Azurite azurite)
{
    private const int Limit = 5;
    private static readonly DateOnly Today = new(2026, 11, 24);

    private readonly StorageRequestCounter _counter = new();

    private static Task<bool> CountAsync(TableOpenLedger ledger, string towards = "bob@contoso.test") =>
        ledger.TryCountAsync(StorageHarness.Alice, towards, Today, Limit, default);

    [Fact]
    public async Task Two_instances_counting_in_turn_never_admit_more_than_the_limit_between_them()
    {
        var storage = new StorageHarness(azurite);
        using var first = new TableOpenLedger(storage.Tables);
        using var second = new TableOpenLedger(storage.Tables);

        var admitted = new List<bool>();
        for (var i = 0; i < Limit + 3; i++)
        {
            admitted.Add(await CountAsync(i % 3 == 0 ? second : first));
        }

        Assert.Equal([.. Enumerable.Repeat(true, Limit), .. Enumerable.Repeat(false, 3)], admitted);
    }

    [Fact]
    public async Task Two_instances_counting_at_once_at_the_edge_admit_exactly_the_limit()
    {
        var storage = new StorageHarness(azurite);
        using var first = new TableOpenLedger(storage.Tables);
        using var second = new TableOpenLedger(storage.Tables);
        // Each has seen the row, and the first's view is already stale: both go straight to a guarded write.
        Assert.True(await CountAsync(first));
        Assert.True(await CountAsync(second));

        var admitted = await Task.WhenAll(Enumerable.Range(0, 2 * Limit).Select(i => CountAsync(i % 2 == 0 ? first : second)));

        Assert.Equal(Limit - 2, admitted.Count(a => a));
        Assert.False(await CountAsync(first));
        Assert.False(await CountAsync(second));
    }

    [Fact]
    public async Task Two_instances_taking_a_new_days_first_places_at_once_admit_exactly_the_limit()
    {
        var storage = new StorageHarness(azurite);
        using var first = new TableOpenLedger(storage.Tables);
        using var second = new TableOpenLedger(storage.Tables);

        var admitted = await Task.WhenAll(Enumerable.Range(0, 2 * Limit).Select(i => CountAsync(i % 2 == 0 ? first : second)));

        Assert.Equal(Limit, admitted.Count(a => a));
    }

    [Fact]
    public async Task A_count_is_one_request_unless_another_instance_counted_since()
    {
        var storage = new StorageHarness(azurite, _counter);
        using var first = new TableOpenLedger(storage.Tables);
        using var second = new TableOpenLedger(storage.Tables);
        await CountAsync(first, "warm-up@contoso.test"); // Creates the tables.

        using (var newDay = _counter.Measure())
        {
            Assert.True(await CountAsync(first));
            Assert.Equal(["POST"], newDay.Requests.Select(r => r.Split(' ')[0]));
        }
        using (var next = _counter.Measure())
        {
            Assert.True(await CountAsync(first));
            Assert.Equal(["PUT"], next.Requests.Select(r => r.Split(' ')[0]));
        }
        Assert.True(await CountAsync(second));
        using (var afterOther = _counter.Measure())
        {
            // Its view is stale: the guarded write fails, then the row is read and written.
            Assert.True(await CountAsync(first));
            Assert.Equal(["PUT", "GET", "PUT"], afterOther.Requests.Select(r => r.Split(' ')[0]));
        }
    }
}
