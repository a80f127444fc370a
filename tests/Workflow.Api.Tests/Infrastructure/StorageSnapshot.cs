using Azure.Data.Tables;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>Every entity of a test's tables with its ETag: equal snapshots mean nothing was written in between.</summary>
public static class StorageSnapshot
{
    public static async Task<IReadOnlyList<string>> TakeAsync(Azurite azurite, string tablePrefix)
    {
        var service = new TableServiceClient(azurite.ConnectionString);
        var rows = new List<string>();
        foreach (var name in new[] { "workflows", "people", "items" })
        {
            var table = service.GetTableClient(tablePrefix + name);
            await foreach (var entity in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                rows.Add($"{name}/{entity.PartitionKey}/{entity.RowKey}/{entity.ETag}");
            }
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>Waits until no workflow has follow-ups pending, so a snapshot is not disturbed by the dispatcher.</summary>
    public static async Task SettleAsync(Azurite azurite, string tablePrefix)
    {
        var workflows = new TableServiceClient(azurite.ConnectionString).GetTableClient(tablePrefix + "workflows");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var pending = false;
            await foreach (var _ in workflows.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"RowKey ge {"outbox-"} and RowKey lt {"outbox."}"), select: ["PartitionKey"]))
            {
                pending = true;
                break;
            }
            if (!pending)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("Follow-ups were still pending after 5 s.");
    }
}
