using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// Personal links in table "guestlinks": one row per token, keyed by the token's hash — the token itself is never
/// stored, so a copy of the table grants nothing. A look-up is one point read.
/// </summary>
public sealed class TableGuestLinks(TableStorage tables) : IGuestLinks
{
    private const string Row = "grant";

    public async Task<string> IssueAsync(GuestGrant grant, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var token = GuestTokens.New();
        await tables.GuestLinks.AddEntityAsync(new TableEntity(GuestTokens.Hash(token), Row)
        {
            ["WorkflowId"] = grant.WorkflowId,
            ["Role"] = grant.Role.ToString(),
            ["Email"] = grant.Email,
            ["IssuedAt"] = grant.IssuedAt,
            ["ExpiresAt"] = grant.ExpiresAt,
        }, cancellationToken);
        return token;
    }

    public async Task<GuestGrant?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!GuestTokens.LooksValid(token))
        {
            return null;
        }
        await tables.EnsureCreatedAsync();
        var row = await tables.GuestLinks.GetEntityIfExistsAsync<TableEntity>(GuestTokens.Hash(token), Row, cancellationToken: cancellationToken);
        if (!row.HasValue || !Enum.TryParse<PartyRole>(row.Value!.GetString("Role"), out var role))
        {
            return null;
        }
        var found = row.Value;
        return new GuestGrant(
            found.GetString("WorkflowId") ?? "", role, found.GetString("Email") ?? "",
            found.GetDateTimeOffset("IssuedAt") ?? DateTimeOffset.MinValue, found.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue);
    }
}
