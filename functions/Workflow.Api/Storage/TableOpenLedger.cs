using Azure;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// The daily count of opens from one person towards another: one row per (day, opener, other party), its count raised
/// by single-entity writes guarded by ETag — an Add that fails if another instance added the row first, an Update that
/// fails if the count changed since it was read. Both are enforced by the Table service and by Azurite alike (batch
/// ETags are not, docs/decisions/0002), so instances racing for the last place never both take it. Days are partitions,
/// so a day's rows can be dropped whole once it is past.
/// </summary>
public sealed class TableOpenLedger(TableStorage tables) : IOpenLedger
{
    /// <summary>
    /// Each lost race means another open was counted, so the attempts needed are bounded by the opens racing at once;
    /// this many is far beyond what one person sends towards one other at the same moment.
    /// </summary>
    private const int AttemptsOnRace = 64;

    public async Task<bool> TryCountAsync(UserId opener, string towards, DateOnly day, int limit, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var partition = day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        // A hash: the row key holds who opened towards whom without holding an email, and any address is a valid key.
        var row = Hashing.Sha256Hex($"{opener.TenantId}\n{opener.ObjectId}\n{towards}");
        for (var attempt = 0; attempt < AttemptsOnRace; attempt++)
        {
            var existing = await tables.Opens.GetEntityIfExistsAsync<TableEntity>(partition, row, ["Count"], cancellationToken);
            var count = existing.HasValue ? existing.Value!.GetInt32("Count") ?? 0 : 0;
            if (count >= limit)
            {
                return false;
            }
            try
            {
                var counted = new TableEntity(partition, row) { ["Count"] = count + 1 };
                if (existing.HasValue)
                {
                    await tables.Opens.UpdateEntityAsync(counted, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await tables.Opens.AddEntityAsync(counted, cancellationToken);
                }
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another open was counted in between: read the new count and decide again.
                await Task.Delay(Random.Shared.Next(1, 5 + attempt * 2), cancellationToken);
            }
        }
        throw new InvalidOperationException($"The open count {partition}/{row} kept changing; try again.");
    }
}
