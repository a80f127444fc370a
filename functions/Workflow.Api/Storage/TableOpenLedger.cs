using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// The daily count of opens from one person towards another: one row per (day, opener, other party), its count raised
/// by single-entity writes guarded by ETag — an Add that fails if another instance added the row first, an Update that
/// fails if the count changed since it was read. Both are enforced by the Table service and by Azurite alike (batch
/// ETags are not, docs/decisions/0002), so instances racing for the last place never both take it. Days are partitions,
/// so a day's rows can be dropped whole once it is past.
/// <para>
/// A count is one request in the common case: this instance remembers the count and ETag it last saw of each row and
/// writes the next count with that ETag at once; a row it has not seen is first tried as a new one (an Add). Only when
/// that write fails (another instance counted meanwhile, or the row is older than this process) is the row read.
/// </para>
/// </summary>
public sealed class TableOpenLedger(TableStorage tables) : IOpenLedger, IDisposable
{
    /// <summary>
    /// Each lost race means another open was counted, so the attempts needed are bounded by the opens racing at once;
    /// this many is far beyond what one person sends towards one other at the same moment.
    /// </summary>
    private const int AttemptsOnRace = 64;

    /// <summary>Rows whose last count is kept per process (when full, a new one is not kept: it costs a read, not a wrong count).</summary>
    private const int RowsKept = 10_000;

    /// <summary>The count and ETag this instance last read or wrote, per (day, row); a day's rows are of no use after it.</summary>
    private readonly MemoryCache _lastSeen = new(new MemoryCacheOptions { SizeLimit = RowsKept });

    private sealed record Seen(int Count, ETag ETag);

    public void Dispose() => _lastSeen.Dispose();

    public async Task<bool> TryCountAsync(UserId opener, string towards, DateOnly day, int limit, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var partition = day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        // A hash: the row key holds who opened towards whom without holding an email, and any address is a valid key.
        var row = Hashing.Sha256Hex($"{opener.TenantId}\n{opener.ObjectId}\n{towards}");

        // Straight to the write the row most likely takes: the next count over the one last seen, or a new day's first.
        // A count seen at the limit is not refused on its word: a fresh read decides.
        var lastSeen = _lastSeen.Get<Seen>((partition, row));
        var next = (lastSeen?.Count ?? 0) + 1;
        if (next <= limit && await TryWriteAsync(partition, row, next, lastSeen?.ETag, cancellationToken))
        {
            return true;
        }

        for (var attempt = 0; attempt < AttemptsOnRace; attempt++)
        {
            var existing = await tables.Opens.GetEntityIfExistsAsync<TableEntity>(partition, row, ["Count"], cancellationToken);
            var count = existing.HasValue ? existing.Value!.GetInt32("Count") ?? 0 : 0;
            if (existing.HasValue)
            {
                Remember(partition, row, count, existing.Value!.ETag);
            }
            if (count >= limit)
            {
                return false;
            }
            if (await TryWriteAsync(partition, row, count + 1, existing.HasValue ? existing.Value!.ETag : null, cancellationToken))
            {
                return true;
            }
            // Another open was counted in between: read the new count and decide again.
            await Task.Delay(Random.Shared.Next(1, 5 + attempt * 2), cancellationToken);
        }
        throw new InvalidOperationException($"The open count {partition}/{row} kept changing; try again.");
    }

    /// <summary>
    /// Writes <paramref name="count"/>: over the row as it stood at <paramref name="ifMatch"/>, or as a new row when
    /// null. False if the row is not as expected — changed since (412), already there (409) or gone (404).
    /// </summary>
    private async Task<bool> TryWriteAsync(string partition, string row, int count, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var counted = new TableEntity(partition, row) { ["Count"] = count };
        try
        {
            var answer = ifMatch is { } etag
                ? await tables.Opens.UpdateEntityAsync(counted, etag, TableUpdateMode.Replace, cancellationToken)
                : await tables.Opens.AddEntityAsync(counted, cancellationToken);
            if (answer.Headers.ETag is { } written)
            {
                Remember(partition, row, count, written);
            }
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            _lastSeen.Remove((partition, row));
            return false;
        }
    }

    private void Remember(string partition, string row, int count, ETag etag) =>
        _lastSeen.Set((partition, row), new Seen(count, etag), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromDays(1) });
}
