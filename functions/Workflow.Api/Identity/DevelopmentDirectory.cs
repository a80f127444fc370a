using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Identity;

public sealed class DevelopmentDirectoryOptions
{
    public const string Section = "DevelopmentDirectory";

    public List<DevelopmentUser> Users { get; set; } = [];
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
public sealed class DevelopmentDirectory(DevelopmentDirectoryOptions options) : IDirectory
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
}

/// <summary>
/// Outside Development when Microsoft Graph is not configured: nobody named by email is found, so they stay pending
/// and cannot see the workflow. Fails closed — it never binds anyone.
/// </summary>
public sealed class NoDirectory : IDirectory
{
    public Task<DirectoryUser?> FindByEmailAsync(string tenantId, string email, CancellationToken cancellationToken) =>
        Task.FromResult<DirectoryUser?>(null);

    public Task<DirectoryUser?> FindByIdAsync(UserId id, CancellationToken cancellationToken) =>
        Task.FromResult<DirectoryUser?>(null);
}
