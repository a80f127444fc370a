using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// Meeting records in table "meetings", one partition per meeting key (a hash: keys hold join URLs and iCalendar ids,
/// which a partition key may not):
/// <list type="bullet">
/// <item><c>purpose</c> — the meeting's purpose (every occurrence of a recurring one);</item>
/// <item><c>purpose-2026-12-07</c> — one occurrence's own purpose, which overrides it;</item>
/// <item><c>outcome-2026-12-07-&lt;workflow&gt;-0000000012</c> — a move made in the meeting (its occurrence's date, or
/// <c>any</c> for a meeting that does not recur), keyed by the event, so recording it twice keeps one.</item>
/// </list>
/// </summary>
public sealed class TableMeetings(TableStorage tables) : IMeetingStore
{
    private const string PurposeRow = "purpose";
    private const string OutcomePrefix = "outcome-";
    private const string AnyDay = "any";
    private const string AttendeesRow = "attendees";

    public async Task<MeetingRecord> GetAsync(string key, DateOnly? occurrence, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var partition = Partition(key);
        // The purposes and the outcomes (of the occurrence, when one is named) in one query.
        var outcomes = occurrence is { } day
            ? TableClient.CreateQueryFilter($"(RowKey ge {OutcomePrefix + Day(day) + "-"} and RowKey lt {OutcomePrefix + Day(day) + "."})")
            : TableClient.CreateQueryFilter($"(RowKey ge {OutcomePrefix} and RowKey lt {"outcome."})");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            + " and (" + TableClient.CreateQueryFilter($"(RowKey eq {AttendeesRow} or (RowKey ge {PurposeRow} and RowKey lt {"purpose."}))") + " or " + outcomes + ")";
        IReadOnlyList<string>? attendees = null;
        var purposes = new List<MeetingPurpose>();
        var recorded = new List<MeetingOutcome>();
        await foreach (var row in tables.Meetings.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith(OutcomePrefix, StringComparison.Ordinal))
            {
                recorded.Add(ReadOutcome(row, key));
            }
            else if (row.RowKey == AttendeesRow)
            {
                attendees = (row.GetString("Emails") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
            else if (ReadPurpose(row) is { } purpose)
            {
                purposes.Add(purpose);
            }
        }
        return new MeetingRecord(purposes, recorded, attendees);
    }

    public async Task SetPurposeAsync(
        string key, DateOnly? occurrence, Quadrant? purpose, UserId by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var row = occurrence is { } day ? PurposeRow + "-" + Day(day) : PurposeRow;
        if (purpose is not { } quadrant)
        {
            await tables.Meetings.DeleteEntityAsync(Partition(key), row, ETag.All, cancellationToken);
            return;
        }
        // Whoever sets it last decides, as with a category everyone can change; who and when are kept.
        await tables.Meetings.UpsertEntityAsync(new TableEntity(Partition(key), row)
        {
            ["Key"] = key,
            ["Purpose"] = Quadrants.Name(quadrant),
            ["On"] = occurrence is { } d ? Day(d) : null,
            ["SetByTenant"] = by.TenantId,
            ["SetByObject"] = by.ObjectId,
            ["SetAt"] = at,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RecordAsync(IReadOnlyList<MeetingOutcome> outcomes, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        foreach (var meeting in outcomes.GroupBy(o => o.MeetingKey, StringComparer.Ordinal))
        {
            // One meeting's outcomes share its partition: one transaction (a commit's moves are a handful). An upsert
            // of the same event's row writes the same values again, so a repeated follow-up changes nothing.
            foreach (var chunk in meeting.Chunk(100))
            {
                await tables.Meetings.SubmitTransactionAsync(
                    [.. chunk.Select(o => new TableTransactionAction(TableTransactionActionType.UpsertReplace, OutcomeEntity(o)))],
                    cancellationToken);
            }
        }
    }

    public async Task RememberAttendeesAsync(string key, IReadOnlyCollection<string> attendees, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var emails = attendees.Select(a => a.Trim().ToLowerInvariant()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(500);
        await tables.Meetings.UpsertEntityAsync(new TableEntity(Partition(key), AttendeesRow)
        {
            ["Key"] = key,
            // One property (≤ 64 KiB as text): 500 addresses of up to 320 characters would not fit, but invitations that
            // large are not meetings anyone draws an agenda between; the cut is the first 500 in order.
            ["Emails"] = Cut(string.Join('\n', emails), 30_000),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    private static string Cut(string text, int max) =>
        text.Length <= max ? text : text.LastIndexOf('\n', max) is > 0 and var at ? text[..at] : text[..max];

    private static string Partition(string key) => Hashing.Sha256Hex(key);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static TableEntity OutcomeEntity(MeetingOutcome o) => new(
        Partition(o.MeetingKey),
        $"{OutcomePrefix}{(o.On is { } day ? Day(day) : AnyDay)}-{o.WorkflowId}-{o.Version.ToString("D10", CultureInfo.InvariantCulture)}")
    {
        ["WorkflowId"] = o.WorkflowId,
        ["Version"] = o.Version,
        ["On"] = o.On is { } d ? Day(d) : null,
        ["Concern"] = o.Concern,
        ["Event"] = o.Event,
        ["By"] = WorkflowDecider.Name(o.By),
        ["ByName"] = o.ByName,
        ["At"] = o.At,
        ["CustomerKey"] = o.Customer is { } c ? IndexEntities.UserKey(c) : null,
        ["PerformerKey"] = o.Performer is { } p ? IndexEntities.UserKey(p) : null,
    };

    private static MeetingOutcome ReadOutcome(TableEntity row, string key) => new(
        key,
        DateOnly.TryParseExact(row.GetString("On"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var on) ? on : null,
        row.GetString("WorkflowId") ?? "",
        row.GetInt32("Version") ?? 0,
        row.GetString("Concern") ?? "",
        row.GetString("Event") ?? "",
        Enum.TryParse<PartyRole>(row.GetString("By"), ignoreCase: true, out var by) ? by : PartyRole.Customer,
        row.GetString("ByName") ?? "",
        row.GetDateTimeOffset("At") ?? default,
        ReadUser(row.GetString("CustomerKey")),
        ReadUser(row.GetString("PerformerKey")));

    private static MeetingPurpose? ReadPurpose(TableEntity row) =>
        Quadrants.TryParse(row.GetString("Purpose"), out var purpose)
            ? new MeetingPurpose(
                purpose,
                DateOnly.TryParseExact(row.GetString("On"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var on) ? on : null,
                new UserId(row.GetString("SetByTenant") ?? "", row.GetString("SetByObject") ?? ""),
                row.GetDateTimeOffset("SetAt") ?? default)
            : null;

    /// <summary>A user key as <see cref="IndexEntities.UserKey"/> writes it (tenant and object ids are GUIDs: no '_' inside).</summary>
    private static UserId? ReadUser(string? key) =>
        key?.Split('_') is [var tenant, var obj] ? new UserId(tenant, obj) : null;
}
