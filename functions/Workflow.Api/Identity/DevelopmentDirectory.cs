using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Identity;

public sealed class DevelopmentDirectoryOptions
{
    public const string Section = "DevelopmentDirectory";

    public List<DevelopmentUser> Users { get; set; } = [];

    public List<DevelopmentGroup> Groups { get; set; } = [];
}

/// <summary>A group of the development tenant: its members by address, each one of <see cref="DevelopmentDirectoryOptions.Users"/>.</summary>
public sealed class DevelopmentGroup
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string TenantId { get; set; } = "";
    public List<string> Members { get; set; } = [];
}

public sealed class DevelopmentUser
{
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string ObjectId { get; set; } = "";

    /// <summary>"Member" (the default) or "Guest", as Entra's userType.</summary>
    public string UserType { get; set; } = "Member";
}

/// <summary>
/// The directory of the local development tenant(s), from configuration. Like Entra, it resolves an email only
/// within the tenant that asks.
/// </summary>
public sealed class DevelopmentDirectory(DevelopmentDirectoryOptions options) : IDirectory, IDirectoryGroups
{
    private readonly List<DirectoryUser> _users = [.. options.Users.Select(u =>
        new DirectoryUser(new UserId(u.TenantId, u.ObjectId), u.Email, u.DisplayName,
            IsGuest: string.Equals(u.UserType, "Guest", StringComparison.OrdinalIgnoreCase)))];

    public Task<DirectoryUser?> FindByEmailAsync(string tenantId, string email, CancellationToken cancellationToken) =>
        Task.FromResult(_users.FirstOrDefault(u =>
            u.Id.TenantId == tenantId && string.Equals(u.Email, email.Trim(), StringComparison.OrdinalIgnoreCase)));

    public Task<DirectoryUser?> FindByIdAsync(UserId id, CancellationToken cancellationToken) =>
        Task.FromResult(_users.FirstOrDefault(u => u.Id == id));

    public DirectoryUser? FindByEmail(string email) =>
        _users.FirstOrDefault(u => string.Equals(u.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));

    public Task<IReadOnlyList<DirectoryGroup>> GroupsOfAsync(UserId user, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DirectoryGroup>>(
            _users.FirstOrDefault(u => u.Id == user) is { } found
                ? [.. options.Groups.Where(g => g.TenantId == user.TenantId && g.Members.Contains(found.Email, StringComparer.OrdinalIgnoreCase))
                    .Select(g => new DirectoryGroup(g.Id, g.DisplayName)).OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase)]
                : []);

    public Task<GroupMembers?> MembersAsync(string tenantId, string groupId, int limit, CancellationToken cancellationToken)
    {
        if (options.Groups.FirstOrDefault(g => g.TenantId == tenantId && string.Equals(g.Id, groupId, StringComparison.OrdinalIgnoreCase)) is not { } group)
        {
            return Task.FromResult<GroupMembers?>(null);
        }
        var users = group.Members
            .Select(email => _users.FirstOrDefault(u => u.Id.TenantId == tenantId && string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)))
            .OfType<DirectoryUser>().ToList();
        return Task.FromResult<GroupMembers?>(new GroupMembers(new DirectoryGroup(group.Id, group.DisplayName), [.. users.Take(limit)], users.Count > limit));
    }
}

/// <summary>
/// Outside Development when Microsoft Graph is not configured: nobody named by email is found, so they stay pending
/// and cannot see the workflow. Fails closed — it never binds anyone.
/// </summary>
public sealed class NoDirectory : IDirectory, IDirectoryGroups
{
    public Task<IReadOnlyList<DirectoryGroup>> GroupsOfAsync(UserId user, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DirectoryGroup>>([]);

    public Task<GroupMembers?> MembersAsync(string tenantId, string groupId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<GroupMembers?>(null);

    public Task<DirectoryUser?> FindByEmailAsync(string tenantId, string email, CancellationToken cancellationToken) =>
        Task.FromResult<DirectoryUser?>(null);

    public Task<DirectoryUser?> FindByIdAsync(UserId id, CancellationToken cancellationToken) =>
        Task.FromResult<DirectoryUser?>(null);
}
