using Microsoft.Graph;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Graph;

/// <summary>
/// The directory in production: a tenant's users, read app-only in that tenant. An email binds to a user only if
/// that tenant's own directory has it as the user's mail or sign-in name — external addresses stay external. A
/// tenant we hold no credential for (<paramref name="appClientForTenant"/> answers null) knows nobody. Its groups are
/// read the same way (GroupMember.Read.All, app-only); a group whose members we may not read is a group we cannot see.
/// </summary>
public sealed class GraphDirectory(Func<string, GraphServiceClient?> appClientForTenant) : IDirectory, IDirectoryGroups
{
    private static readonly string[] GroupFields = ["id", "displayName"];

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

    public async Task<IReadOnlyList<DirectoryGroup>> GroupsOfAsync(UserId user, CancellationToken cancellationToken)
    {
        if (appClientForTenant(user.TenantId) is not { } graph || !Guid.TryParse(user.ObjectId, out _))
        {
            return [];
        }
        try
        {
            var groups = await graph.Users[user.ObjectId].MemberOf.GraphGroup.GetAsync(request =>
            {
                request.QueryParameters.Select = GroupFields;
                request.QueryParameters.Top = 100;
            }, cancellationToken);
            return [.. (groups?.Value ?? []).Where(g => g.Id is not null)
                .Select(g => new DirectoryGroup(g.Id!, g.DisplayName ?? g.Id!))
                .OrderBy(g => g.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
        }
        catch (Microsoft.Graph.Models.ODataErrors.ODataError e) when (e.ResponseStatusCode is 403 or 404)
        {
            return [];
        }
    }

    public async Task<GroupMembers?> MembersAsync(string tenantId, string groupId, int limit, CancellationToken cancellationToken)
    {
        // Only a group id goes into the path: anything else could walk the URL somewhere else.
        if (appClientForTenant(tenantId) is not { } graph || !Guid.TryParse(groupId, out var id))
        {
            return null;
        }
        var key = id.ToString("D");
        try
        {
            var group = await graph.Groups[key].GetAsync(request => request.QueryParameters.Select = GroupFields, cancellationToken);
            if (group?.Id is null)
            {
                return null;
            }
            // One more than the limit tells "more than the limit" without reading every page of a large group.
            var users = await graph.Groups[key].TransitiveMembers.GraphUser.GetAsync(request =>
            {
                request.QueryParameters.Select = Fields;
                request.QueryParameters.Top = Math.Clamp(limit + 1, 1, 999);
            }, cancellationToken);
            var read = (users?.Value ?? []).Select(u => Read(tenantId, u)).OfType<DirectoryUser>().Where(u => u.Email.Length > 0).ToList();
            var more = read.Count > limit || users?.OdataNextLink is not null;
            return new GroupMembers(new DirectoryGroup(group.Id, group.DisplayName ?? group.Id), [.. read.Take(limit)], more);
        }
        catch (Microsoft.Graph.Models.ODataErrors.ODataError e) when (e.ResponseStatusCode is 400 or 403 or 404)
        {
            return null;
        }
    }
}
