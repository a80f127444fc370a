using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// Roles in table "roles":
/// <list type="bullet">
/// <item><c>&lt;role id&gt;/role</c> — the role's record (JSON), replaced whole under its ETag;</item>
/// <item><c>person-&lt;user key&gt;/&lt;role id&gt;</c> — a person's index of the roles they hold, held or are offered
/// cycles of, each row a copy of the role as last written with its <c>Version</c>, so their list is one query. Written
/// after the record and never over a later version; a person once in a role's history stays in its index.</item>
/// </list>
/// </summary>
public sealed class TableRoles(TableStorage tables) : IRoleStore
{
    private const string RoleRow = "role";
    private const string PersonPrefix = "person-";

    public async Task<StoredRole?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (!WorkflowIds.IsValid(id))
        {
            return null;
        }
        await tables.EnsureCreatedAsync();
        var row = await tables.Roles.GetEntityIfExistsAsync<TableEntity>(id, RoleRow, cancellationToken: cancellationToken);
        return row.HasValue ? new StoredRole(StorageJson.ReadData<Role>(row.Value!), row.Value!.ETag.ToString()) : null;
    }

    public async Task<bool> CreateAsync(Role role, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        try
        {
            await tables.Roles.AddEntityAsync(Entity(role.Id, RoleRow, role), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
        await IndexAsync(role, cancellationToken);
        return true;
    }

    public async Task<bool> ReplaceAsync(Role role, string etag, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        try
        {
            await tables.Roles.UpdateEntityAsync(Entity(role.Id, RoleRow, role), new ETag(etag), TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
        await IndexAsync(role, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<Role>> ForUserAsync(UserId user, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var roles = new List<Role>();
        await foreach (var row in tables.Roles.QueryAsync<TableEntity>(e => e.PartitionKey == Person(user), cancellationToken: cancellationToken))
        {
            roles.Add(StorageJson.ReadData<Role>(row));
        }
        return roles;
    }

    public async IAsyncEnumerable<Role> AllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        await foreach (var row in tables.Roles.QueryAsync<TableEntity>(e => e.RowKey == RoleRow, cancellationToken: cancellationToken))
        {
            yield return StorageJson.ReadData<Role>(row);
        }
    }

    /// <summary>Each person the role concerns gets its latest copy; a copy of a later version is never overwritten.</summary>
    private async Task IndexAsync(Role role, CancellationToken cancellationToken)
    {
        var people = role.Holdings.Select(h => h.Holder.User).Concat(role.Offers.Select(o => o.To.User)).Append(role.Holder.User)
            .OfType<UserId>().Distinct();
        foreach (var user in people)
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var existing = await tables.Roles.GetEntityIfExistsAsync<TableEntity>(Person(user), role.Id, ["Version"], cancellationToken);
                try
                {
                    if (!existing.HasValue)
                    {
                        await tables.Roles.AddEntityAsync(Entity(Person(user), role.Id, role), cancellationToken);
                    }
                    else if ((existing.Value!.GetInt32("Version") ?? 0) < role.Version)
                    {
                        await tables.Roles.UpdateEntityAsync(Entity(Person(user), role.Id, role), existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                    }
                    break;
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    // Another write of this role indexed it in between: read again and compare versions.
                }
            }
        }
    }

    private static TableEntity Entity(string partition, string row, Role role)
    {
        var entity = new TableEntity(partition, row) { ["Version"] = role.Version };
        StorageJson.WriteData(entity, role);
        return entity;
    }

    private static string Person(UserId user) => PersonPrefix + IndexEntities.UserKey(user);
}
