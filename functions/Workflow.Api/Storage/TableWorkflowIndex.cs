using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>Reads a person's lists and an item's links: one query page each, filters built by the SDK.</summary>
public sealed class TableWorkflowIndex(TableStorage tables) : IWorkflowIndex
{
    /// <summary>The Table service's own page limit: a person's list is one request for up to 1,000 workflows.</summary>
    internal int PageSize { get; init; } = 1000;

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
            case ListView.Active:
                clauses.Add(TableClient.CreateQueryFilter($"Closed eq {false}"));
                break;
            case ListView.MyMove:
                clauses.Add(TableClient.CreateQueryFilter($"MyMove eq {true}"));
                break;
        }
        if (query.Quadrant is { } quadrant)
        {
            // Closed by its own flag, so rows written before quadrants had one spelling ("Closed") are found too.
            clauses.Add(quadrant == Quadrant.Closed
                ? TableClient.CreateQueryFilter($"Closed eq {true}")
                : TableClient.CreateQueryFilter($"Quadrant eq {Quadrants.Name(quadrant)}"));
        }
        if (query.DueBefore is { } dueBefore)
        {
            clauses.Add(TableClient.CreateQueryFilter($"NextClockAt lt {dueBefore}"));
        }

        if (query.Cursor is not null)
        {
            // Rows come back in row-key order within the partition, so a page continues after the last id it showed.
            clauses.Add(TableClient.CreateQueryFilter($"RowKey gt {Cursors.Open(query.Cursor)}"));
        }

        var pages = tables.Lists
            .QueryAsync<TableEntity>(string.Join(" and ", clauses), maxPerPage: PageSize, cancellationToken: cancellationToken)
            .AsPages(pageSizeHint: PageSize);
        await foreach (var page in pages)
        {
            // The service may answer a filtered scan with an empty page and a continuation; read on until rows come.
            if (page.Values.Count == 0 && page.ContinuationToken is not null)
            {
                continue;
            }
            var items = page.Values.Select(IndexEntities.ReadListRow).ToList();
            return new ListPage(items, page.ContinuationToken is not null && items.Count > 0 ? Cursors.After(items[^1].Id) : null);
        }
        return new ListPage([], null);
    }

    public async Task<IReadOnlyList<WorkflowSummary>> LinkedToAsync(string itemKey, UserId user, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var me = IndexEntities.UserKey(user);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {IndexEntities.ItemPartition(itemKey)} and Deleted eq {false} and (CustomerKey eq {me} or PerformerKey eq {me})");
        var linked = new List<WorkflowSummary>();
        await foreach (var row in tables.Items.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            linked.Add(IndexEntities.ReadItemRow(row, user));
        }
        return linked;
    }

    public async Task<(IReadOnlyList<WorkflowSummary> Linked, int Others)> LinkedWithOthersAsync(
        string itemKey, UserId user, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var me = IndexEntities.UserKey(user);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {IndexEntities.ItemPartition(itemKey)} and Deleted eq {false}");
        var linked = new List<WorkflowSummary>();
        var others = 0;
        await foreach (var row in tables.Items.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.GetString("CustomerKey") == me || row.GetString("PerformerKey") == me)
            {
                linked.Add(IndexEntities.ReadItemRow(row, user));
            }
            else
            {
                others++; // Counted, never shown: the caller is no party of it.
            }
        }
        return (linked, others);
    }
}

/// <summary>
/// List cursors: the id of the last workflow a page showed, base64url-encoded. A cursor only ever narrows the caller's
/// own partition (the query always names it), so it cannot page into anyone else's list, whatever it holds.
/// </summary>
public static class Cursors
{
    public static string After(string workflowId) =>
        Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(workflowId));

    /// <summary>The workflow id inside <paramref name="cursor"/>; throws <see cref="FormatException"/> if it is not one of ours.</summary>
    public static string Open(string cursor)
    {
        try
        {
            var id = System.Text.Encoding.UTF8.GetString(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(cursor));
            return WorkflowIds.IsValid(id) ? id : throw new FormatException("The cursor is not valid.");
        }
        catch (FormatException)
        {
            throw new FormatException("The cursor is not valid.");
        }
    }
}
