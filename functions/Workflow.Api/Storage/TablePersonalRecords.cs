using Azure;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>A person's own partitions: their lists (table "people", one partition each) and their notice box.</summary>
public sealed class TablePersonalRecords(TableStorage tables) : IPersonalRecords
{
    public async Task ForgetListsAsync(UserId user, CancellationToken cancellationToken) =>
        await DeletePartitionAsync(tables.Lists, IndexEntities.UserKey(user), cancellationToken);

    public async Task ForgetNoticesAsync(UserId user, CancellationToken cancellationToken) =>
        await DeletePartitionAsync(tables.Notices, new Addressee(user, "", null).Key, cancellationToken);

    /// <summary>Deletes every row of one partition, 100 to a transaction; a row deleted meanwhile is already gone.</summary>
    private async Task DeletePartitionAsync(TableClient table, string partition, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.RowKey);
        }
        foreach (var chunk in keys.Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(
                    chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k), ETag.All)),
                    cancellationToken);
            }
            catch (TableTransactionFailedException)
            {
                // One row went in between (a projection, a sender): delete the rest one by one.
                foreach (var key in chunk)
                {
                    await table.DeleteEntityAsync(partition, key, ETag.All, cancellationToken);
                }
            }
        }
    }
}
