using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>The children index: a parent's partition in table "children", written by <see cref="IndexProjector"/>.</summary>
public sealed class TableChildIndex(TableStorage tables) : IChildIndex
{
    public async Task<IReadOnlyList<ChildLine>> ChildrenAsync(string parentId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var lines = new List<ChildLine>();
        await foreach (var row in tables.Children.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {parentId}"), maxPerPage: ChildIndex.MaxChildren, cancellationToken: cancellationToken))
        {
            lines.Add(IndexEntities.ReadChildRow(row));
            if (lines.Count == ChildIndex.MaxChildren)
            {
                break;
            }
        }
        return lines;
    }
}
