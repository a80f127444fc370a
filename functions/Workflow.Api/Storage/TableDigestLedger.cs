using Azure;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// Which weekly digests were sent. A run claims a person's digest for the week before sending (Add: only one run can),
/// marks it sent after, and releases it if sending failed. A claim left by a crashed run expires after a lease, so a
/// later run takes it over: nobody is skipped, and a digest already marked sent is never sent again.
/// </summary>
public sealed class TableDigestLedger(TableStorage tables) : IDigestLedger
{
    public async Task<DigestClaim?> ClaimAsync(string week, UserId user, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var row = new TableEntity(week, IndexEntities.UserKey(user)) { ["State"] = "claimed", ["ClaimedAt"] = now };
        try
        {
            var added = await tables.Digests.AddEntityAsync(row, cancellationToken);
            return new DigestClaim(week, row.RowKey, (added.Headers.ETag ?? ETag.All).ToString());
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await tables.Digests.GetEntityIfExistsAsync<TableEntity>(week, row.RowKey, cancellationToken: cancellationToken);
            if (!existing.HasValue || existing.Value!.GetString("State") == "sent"
                || existing.Value.GetDateTimeOffset("ClaimedAt") is { } claimedAt && now - claimedAt < lease)
            {
                return null; // Sent, or another run is on it right now.
            }
            try
            {
                var taken = await tables.Digests.UpdateEntityAsync(row, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return new DigestClaim(week, row.RowKey, (taken.Headers.ETag ?? ETag.All).ToString());
            }
            catch (RequestFailedException lost) when (lost.Status == 412)
            {
                return null; // Another run took it over first.
            }
        }
    }

    public async Task MarkSentAsync(DigestClaim claim, DateTimeOffset now, CancellationToken cancellationToken) =>
        await tables.Digests.UpdateEntityAsync(
            new TableEntity(claim.Week, claim.Person) { ["State"] = "sent", ["SentAt"] = now }, ETag.All, TableUpdateMode.Replace, cancellationToken);

    public async Task ReleaseAsync(DigestClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Digests.DeleteEntityAsync(claim.Week, claim.Person, new ETag(claim.Version), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Already gone or taken over: nothing of ours to release.
        }
    }
}
