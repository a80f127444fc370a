using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Graph;

/// <summary>
/// The time zone a person set in Outlook, read app-only from their mailbox settings (MailboxSettings.Read) in the home
/// tenant — the only tenant whose mailboxes the managed identity may read. Outlook names the zone the Windows way or
/// the IANA way, as the tenant's admin chose; <see cref="TimeZones.Find"/> takes both and answers with the IANA zone.
/// </summary>
public sealed class GraphMailboxTimeZones(GraphServiceClient homeTenant, string homeTenantId) : IMailboxTimeZones
{
    public async Task<string?> FindAsync(UserId user, CancellationToken cancellationToken)
    {
        if (!string.Equals(user.TenantId, homeTenantId, StringComparison.OrdinalIgnoreCase) || !Guid.TryParse(user.ObjectId, out _))
        {
            return null;
        }
        try
        {
            var settings = await homeTenant.Users[user.ObjectId].MailboxSettings.GetAsync(
                request => request.QueryParameters.Select = ["timeZone"], cancellationToken);
            return settings?.TimeZone is { } name ? TimeZones.Find(name)?.Id : null;
        }
        catch (ODataError e) when (e.ResponseStatusCode == 404)
        {
            // No such user, or a user without an Exchange Online mailbox: no setting to read.
            return null;
        }
        catch (Microsoft.Kiota.Abstractions.ApiException)
        {
            // Not allowed (a mailbox outside the RBAC scope: 403), throttled or down: the zone is a convenience, never
            // worth failing the person's request for; they can choose one in the pane.
            return null;
        }
    }
}
