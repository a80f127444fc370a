using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// The teams table: a team's partition (its id) holds its record and one row per person named; each named address has
/// an index partition (its hash) with one row per team, so "my teams" is one query.
/// </summary>
public sealed class TableTeams(TableStorage tables) : ITeamStore
{
    private const string TeamRow = "team";

    public async Task CreateAsync(Team team, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var rows = team.Members.Select(m => new TableTransactionAction(TableTransactionActionType.Add, MemberRow(team.Id, m)))
            .Prepend(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(team.Id, TeamRow)
            {
                ["Name"] = team.Name, ["TenantId"] = team.TenantId, ["GroupId"] = team.Group?.Id, ["GroupName"] = team.Group?.DisplayName,
            }));
        await tables.Teams.SubmitTransactionAsync(rows, cancellationToken);
        foreach (var member in team.Members)
        {
            await tables.Teams.UpsertEntityAsync(IndexRow(team, member), TableUpdateMode.Replace, cancellationToken);
        }
    }

    public async Task<Team?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        string? name = null;
        string? tenant = null;
        DirectoryGroup? group = null;
        var members = new List<TeamMember>();
        await foreach (var row in tables.Teams.QueryAsync<TableEntity>(e => e.PartitionKey == id, cancellationToken: cancellationToken))
        {
            if (row.RowKey == TeamRow)
            {
                name = row.GetString("Name");
                tenant = row.GetString("TenantId");
                group = row.GetString("GroupId") is { } groupId ? new DirectoryGroup(groupId, row.GetString("GroupName") ?? groupId) : null;
            }
            else
            {
                members.Add(new TeamMember(
                    row.GetString("Email") ?? "",
                    row.GetString("TenantId") is { } memberTenant && row.GetString("ObjectId") is { } oid ? new UserId(memberTenant, oid) : null,
                    row.GetBoolean("OptedIn") ?? false));
            }
        }
        return name is null || tenant is null ? null : new Team(id, name, tenant, members, group);
    }

    public async Task SaveMemberAsync(Team team, TeamMember member, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        await tables.Teams.UpsertEntityAsync(MemberRow(team.Id, member), TableUpdateMode.Replace, cancellationToken);
        await tables.Teams.UpsertEntityAsync(IndexRow(team, member), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RemoveMemberAsync(Team team, TeamMember member, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var row = MemberRow(team.Id, member);
        var index = IndexRow(team, member);
        await tables.Teams.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
        await tables.Teams.DeleteEntityAsync(index.PartitionKey, index.RowKey, cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<TeamListing>> NamingAsync(string email, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var partition = IndexPartition(email);
        var listings = new List<TeamListing>();
        await foreach (var row in tables.Teams.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            listings.Add(new TeamListing(row.RowKey, row.GetString("Name") ?? "", row.GetBoolean("OptedIn") ?? false, row.GetString("GroupName")));
        }
        return listings;
    }

    private static TableEntity MemberRow(string teamId, TeamMember m) => new(teamId, "m_" + Hashing.Sha256Hex(m.Email.ToLowerInvariant()))
    {
        ["Email"] = m.Email,
        ["TenantId"] = m.User?.TenantId,
        ["ObjectId"] = m.User?.ObjectId,
        ["OptedIn"] = m.OptedIn,
    };

    private static TableEntity IndexRow(Team team, TeamMember m) =>
        new(IndexPartition(m.Email), team.Id) { ["Name"] = team.Name, ["OptedIn"] = m.OptedIn, ["GroupName"] = team.Group?.DisplayName };

    /// <summary>"by_" and a hash: never a team id (32 hex digits), and any address is a valid key.</summary>
    private static string IndexPartition(string email) => "by_" + Hashing.Sha256Hex(email.ToLowerInvariant());
}
