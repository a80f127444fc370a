using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// The notice boxes in table "notices", one partition per recipient:
/// <list type="bullet">
/// <item><c>notice-&lt;id&gt;</c> — a notice waiting to be mailed, with when it is due;</item>
/// <item><c>seen-&lt;id&gt;</c> — that this notice was ever added: added in the same transaction as the notice, so a
/// follow-up dispatched twice (a crash before it was crossed off) cannot bring back a notice already mailed;</item>
/// <item><c>mail-&lt;id&gt;</c> — a mail claimed and not yet marked sent: added in one transaction with the deletion of
/// the notices it carries, so two senders can never both take a notice;</item>
/// <item><c>stopped</c> — the address asked for no more mail.</item>
/// </list>
/// Every guard here is an Add of a row key or a Delete of a row that must exist, which fail a transaction on Azure and
/// Azurite alike (chosen when Azurite did not check ETags inside transactions — docs/decisions/0002; it does since 3.37,
/// pinned in StorageTests). A take-over is a single-entity update with the claim's ETag, which both check.
/// </summary>
public sealed class TableNoticeBox(TableStorage tables) : INoticeBox
{
    private const string NoticePrefix = "notice-";
    private const string SeenPrefix = "seen-";
    private const string MailPrefix = "mail-";

    /// <summary>The address asked for no more mail (someone outside the organisation, from their personal link).</summary>
    private const string StoppedRow = "stopped";

    /// <summary>Two rows per notice, 100 per transaction.</summary>
    private const int NoticesPerTransaction = 50;

    public async Task AddAsync(Addressee recipient, IReadOnlyList<Notice> notices, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        foreach (var chunk in notices.Chunk(NoticesPerTransaction))
        {
            if (!await TryAddAsync(recipient, chunk, cancellationToken) && chunk.Length > 1)
            {
                // Some were added before (a repeated dispatch): add the rest one at a time.
                foreach (var notice in chunk)
                {
                    await TryAddAsync(recipient, [notice], cancellationToken);
                }
            }
        }
    }

    public async Task<bool> AddReminderAsync(Addressee recipient, Notice reminder, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        return await TryAddAsync(recipient, [reminder], cancellationToken);
    }

    private async Task<bool> TryAddAsync(Addressee recipient, IReadOnlyList<Notice> notices, CancellationToken cancellationToken)
    {
        var actions = notices.SelectMany(n => new[]
        {
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(recipient.Key, SeenPrefix + n.Id) { ["At"] = n.At }),
            new TableTransactionAction(TableTransactionActionType.Add, NoticeEntity(recipient, n)),
        });
        try
        {
            await tables.Notices.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<(Addressee Recipient, IReadOnlyList<Notice> Notices)> DueAsync(
        DateTimeOffset now, DateTimeOffset rideAlongUntil, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rideAlongUntil, now);
        await tables.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"RowKey ge {NoticePrefix} and RowKey lt {"notice."} and DueAt le {rideAlongUntil}");
        // Rows come sorted by partition then row key (the Table service and Azurite alike), so each box's rows arrive
        // together, however the pages fall.
        string? partition = null;
        Addressee? recipient = null;
        var notices = new List<Notice>();
        await foreach (var row in tables.Notices.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.PartitionKey != partition)
            {
                if (recipient is not null && notices.Any(n => n.DueAt <= now))
                {
                    yield return (recipient, OldestFirst(notices));
                }
                partition = row.PartitionKey;
                recipient = ReadRecipient(row);
                notices = [];
            }
            notices.Add(ReadNotice(row));
        }
        if (recipient is not null && notices.Any(n => n.DueAt <= now))
        {
            yield return (recipient, OldestFirst(notices));
        }
    }

    private static Notice[] OldestFirst(List<Notice> notices) =>
        [.. notices.OrderBy(n => n.At).ThenBy(n => n.Id, StringComparer.Ordinal)];

    public async Task<MailClaim?> ClaimAsync(
        Addressee recipient, string mailId, IReadOnlyList<Notice> notices, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (notices.Count is 0 or > NotificationMailer.MaxNoticesPerMail)
        {
            throw new ArgumentOutOfRangeException(nameof(notices), notices.Count, "A mail carries 1 to 99 notices.");
        }
        await tables.EnsureCreatedAsync();
        var claim = RecipientColumns(new TableEntity(recipient.Key, MailPrefix + mailId), recipient);
        claim["Notices"] = JsonSerializer.Serialize(notices, StorageJson.Info<IReadOnlyList<Notice>>());
        claim["ClaimedAt"] = now;
        claim["Attempt"] = 1;
        try
        {
            var answers = await tables.Notices.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, claim),
                    .. notices.Select(n => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(recipient.Key, NoticePrefix + n.Id), ETag.All)),
                ],
                cancellationToken);
            return new MailClaim(recipient, mailId, notices, now, 1, answers.Value[0].Headers.ETag?.ToString() ?? "");
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409)
        {
            return null; // Another sender took one of these notices (or this very mail) first.
        }
    }

    public async Task MarkSentAsync(MailClaim claim, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        try
        {
            // With the claim's own ETag: a sender whose claim was taken over does not remove the new holder's.
            await tables.Notices.DeleteEntityAsync(claim.Addressee.Key, MailPrefix + claim.MailId,
                claim.ETag.Length > 0 ? new ETag(claim.ETag) : ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Taken over meanwhile: the new holder finishes it (and finds the mail sent).
        }
    }

    public async IAsyncEnumerable<MailClaim> AbandonedAsync(DateTimeOffset claimedBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"RowKey ge {MailPrefix} and RowKey lt {"mail."} and ClaimedAt lt {claimedBefore}");
        await foreach (var row in tables.Notices.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return ReadClaim(row);
        }
    }

    public async Task<MailClaim?> TakeOverAsync(MailClaim claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var update = new TableEntity(claim.Addressee.Key, MailPrefix + claim.MailId) { ["ClaimedAt"] = now, ["Attempt"] = claim.Attempt + 1 };
        try
        {
            var answer = await tables.Notices.UpdateEntityAsync(update, new ETag(claim.ETag), TableUpdateMode.Merge, cancellationToken);
            return claim with { ClaimedAt = now, Attempt = claim.Attempt + 1, ETag = answer.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null; // Taken over or finished by another sender.
        }
    }

    public async Task<bool> IsStoppedAsync(Addressee addressee, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        return (await tables.Notices.GetEntityIfExistsAsync<TableEntity>(addressee.Key, StoppedRow, ["At"], cancellationToken)).HasValue;
    }

    public async Task SetStoppedAsync(Addressee addressee, bool stopped, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        if (stopped)
        {
            await tables.Notices.UpsertEntityAsync(new TableEntity(addressee.Key, StoppedRow) { ["At"] = now }, TableUpdateMode.Replace, cancellationToken);
        }
        else
        {
            await tables.Notices.DeleteEntityAsync(addressee.Key, StoppedRow, ETag.All, cancellationToken);
        }
    }

    private static TableEntity NoticeEntity(Addressee recipient, Notice notice)
    {
        var entity = RecipientColumns(new TableEntity(recipient.Key, NoticePrefix + notice.Id), recipient);
        entity["WorkflowId"] = notice.WorkflowId;
        entity["Kind"] = notice.Kind.ToString();
        entity["Version"] = notice.Version;
        entity["Role"] = notice.RecipientRole.ToString();
        entity["At"] = notice.At;
        entity["DueAt"] = notice.DueAt;
        entity["Clock"] = notice.Clock?.ToString();
        entity["ClockAt"] = notice.ClockAt;
        entity["Frequency"] = notice.Frequency?.ToString();
        entity["TimeZone"] = notice.TimeZone;
        entity["MeetingKey"] = notice.Meeting?.Key;
        entity["MeetingOn"] = notice.Meeting?.On?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return entity;
    }

    private static Notice ReadNotice(TableEntity row) => new(
        row.GetString("WorkflowId") ?? "",
        row.RowKey[NoticePrefix.Length..],
        Enum.TryParse<NoticeKind>(row.GetString("Kind"), out var kind) ? kind : NoticeKind.Move,
        row.GetInt32("Version") ?? 0,
        Enum.TryParse<PartyRole>(row.GetString("Role"), out var role) ? role : PartyRole.Customer,
        row.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("DueAt") ?? DateTimeOffset.MinValue,
        Enum.TryParse<ClockKind>(row.GetString("Clock"), out var clock) ? clock : null,
        row.GetDateTimeOffset("ClockAt"),
        Enum.TryParse<NotifyFrequency>(row.GetString("Frequency"), out var frequency) ? frequency : null,
        row.GetString("TimeZone"),
        row.GetString("MeetingKey") is { } meeting
            ? new MeetingRef(meeting, DateOnly.TryParseExact(row.GetString("MeetingOn"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var on) ? on : null)
            : null);

    private static MailClaim ReadClaim(TableEntity row) => new(
        ReadRecipient(row),
        row.RowKey[MailPrefix.Length..],
        JsonSerializer.Deserialize(row.GetString("Notices") ?? "[]", StorageJson.Info<List<Notice>>()) ?? [],
        row.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue,
        row.GetInt32("Attempt") ?? 1,
        row.ETag.ToString());

    private static TableEntity RecipientColumns(TableEntity entity, Addressee recipient)
    {
        entity["Email"] = recipient.Email;
        entity["DisplayName"] = recipient.DisplayName;
        entity["TenantId"] = recipient.User?.TenantId;
        entity["ObjectId"] = recipient.User?.ObjectId;
        return entity;
    }

    private static Addressee ReadRecipient(TableEntity row) => new(
        row.GetString("TenantId") is { } tenant && row.GetString("ObjectId") is { } obj ? new UserId(tenant, obj) : null,
        row.GetString("Email") ?? "",
        row.GetString("DisplayName"));
}
