using Workflow.Domain;

namespace Workflow.Application;

/// <summary>A person as the directory knows them. A guest is an account invited from outside the tenant.</summary>
public sealed record DirectoryUser(UserId Id, string Email, string DisplayName, bool IsGuest = false);

/// <summary>How parties named by email are bound through the directory (configuration section "Directory").</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    /// <summary>Bind guest accounts too. Off by default: only the tenant's members are bound by address.</summary>
    public bool AllowGuests { get; set; }

    /// <summary>How long "the directory does not know this email" is believed before asking again.</summary>
    public TimeSpan MissLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many misses are remembered per process.</summary>
    public int MissesRemembered { get; set; } = 10_000;
}

/// <summary>The organisation's directory: the only way an email becomes a (tenant, object id).</summary>
public interface IDirectory
{
    Task<DirectoryUser?> FindByEmailAsync(string tenantId, string email, CancellationToken cancellationToken);

    Task<DirectoryUser?> FindByIdAsync(UserId id, CancellationToken cancellationToken);
}

/// <summary>A group of the organisation's directory (a security or Microsoft 365 group).</summary>
public sealed record DirectoryGroup(string Id, string DisplayName);

/// <summary>
/// A group's people as the directory lists them (members of nested groups included), at most the limit asked for;
/// <see cref="MoreThanLimit"/> when it has more.
/// </summary>
public sealed record GroupMembers(DirectoryGroup Group, IReadOnlyList<DirectoryUser> Users, bool MoreThanLimit);

/// <summary>The directory's groups: which a person is in, and who is in one. Both read within one tenant only.</summary>
public interface IDirectoryGroups
{
    /// <summary>The groups <paramref name="user"/> is a direct member of, by name; at most 100.</summary>
    Task<IReadOnlyList<DirectoryGroup>> GroupsOfAsync(UserId user, CancellationToken cancellationToken);

    /// <summary>The group's people, or null when <paramref name="tenantId"/> has no group <paramref name="groupId"/>.</summary>
    Task<GroupMembers?> MembersAsync(string tenantId, string groupId, int limit, CancellationToken cancellationToken);
}
