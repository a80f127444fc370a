using Microsoft.Graph;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Graph;

/// <summary>
/// The directory in production: a tenant's users, read app-only in that tenant. An email binds to a user only if
/// that tenant's own directory has it as the user's mail or sign-in name — external addresses stay external. A
/// tenant we hold no credential for (<paramref name="appClientForTenant"/> answers null) knows nobody.
/// </summary>
public sealed class GraphDirectory(Func<string, GraphServiceClient?> appClientForTenant) : IDirectory
{
    private static readonly string[] Fields = ["id", "mail", "userPrincipalName", "displayName", "userType"];

    public async Task<DirectoryUser?> FindByEmailAsync(string tenantId, string email, CancellationToken cancellationToken)
    {
        var address = email.Trim();
        if (address.Length is 0 or > 254 || !System.Net.Mail.MailAddress.TryCreate(address, out _))
        {
            return null;
        }
        // OData string literal: a quote is written twice. The address has been validated as an address already.
        var literal = address.Replace("'", "''", StringComparison.Ordinal);
        if (appClientForTenant(tenantId) is not { } graph)
        {
            return null;
        }
        var found = await graph.Users.GetAsync(request =>
        {
            request.QueryParameters.Filter = $"mail eq '{literal}' or userPrincipalName eq '{literal}'";
            request.QueryParameters.Select = Fields;
            request.QueryParameters.Top = 2;
        }, cancellationToken);
        // Two users answering to one address is ambiguous: bind neither.
        return found?.Value is [var user] ? Read(tenantId, user) : null;
    }

    public async Task<DirectoryUser?> FindByIdAsync(UserId id, CancellationToken cancellationToken)
    {
        if (appClientForTenant(id.TenantId) is not { } graph || !Guid.TryParse(id.ObjectId, out _))
        {
            return null;
        }
        try
        {
            var user = await graph.Users[id.ObjectId].GetAsync(
                request => request.QueryParameters.Select = Fields, cancellationToken);
            return user is null ? null : Read(id.TenantId, user);
        }
        catch (Microsoft.Graph.Models.ODataErrors.ODataError e) when (e.ResponseStatusCode == 404)
        {
            return null;
        }
    }

    private static DirectoryUser? Read(string tenantId, Microsoft.Graph.Models.User user) =>
        user.Id is { } id
            ? new DirectoryUser(new UserId(tenantId, id), user.Mail ?? user.UserPrincipalName ?? "", user.DisplayName ?? user.Mail ?? "",
                IsGuest: string.Equals(user.UserType, "Guest", StringComparison.OrdinalIgnoreCase))
            : null;
}
