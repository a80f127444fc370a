using Azure.Data.Tables;
using Workflow.Api.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>Reads a person's lists and an item's links: one query page each, filters built by the SDK.</summary>
public sealed class TableWorkflowIndex(TableStorage tables) : IWorkflowIndex
{
    public const int PageSize = 1000;

    public async Task<ListPage> ListAsync(UserId user, ListQuery query, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var clauses = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {IndexEntities.UserKey(user)}") };
        switch (query.View)
        {
            case ListView.IOwe:
                clauses.Add(TableClient.CreateQueryFilter($"Role eq {"performer"} and Closed eq {false}"));
                break;
            case ListView.OwedToMe:
                clauses.Add(TableClient.CreateQueryFilter($"Role eq {"customer"} and Closed eq {false}"));
                break;
            case ListView.MyMove:
                clauses.Add(TableClient.CreateQueryFilter($"MyMove eq {true}"));
                break;
        }
        if (query.Quadrant is { } quadrant)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Quadrant eq {quadrant.ToString()}"));
        }
        if (query.DueBefore is { } dueBefore)
        {
            clauses.Add(TableClient.CreateQueryFilter($"NextClockAt lt {dueBefore}"));
        }

        var pages = tables.People
            .QueryAsync<TableEntity>(string.Join(" and ", clauses), maxPerPage: PageSize, cancellationToken: cancellationToken)
            .AsPages(query.Cursor, PageSize);
        await foreach (var page in pages)
        {
            return new ListPage([.. page.Values.Select(IndexEntities.ReadPersonRow)], page.ContinuationToken);
        }
        return new ListPage([], null);
    }

    public async Task<IReadOnlyList<WorkflowSummary>> LinkedToAsync(string itemKey, UserId user, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var me = IndexEntities.UserKey(user);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {IndexEntities.ItemPartition(itemKey)} and (CustomerKey eq {me} or PerformerKey eq {me})");
        var linked = new List<WorkflowSummary>();
        await foreach (var row in tables.Items.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            linked.Add(IndexEntities.ReadItemRow(row, user));
        }
        return linked;
    }
}
