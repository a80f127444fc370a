using Workflow.Domain;

namespace Workflow.Application;

/// <summary>Someone named in a team, by address; <see cref="User"/> once they answered for themselves.</summary>
public sealed record TeamMember(string Email, UserId? User, bool OptedIn);

/// <summary>
/// A team of one organisation: <see cref="TenantId"/> is its creator's. With a <see cref="Group"/> it follows that
/// directory group: whoever joins the group is named in it, whoever leaves it is no longer.
/// </summary>
public sealed record Team(string Id, string Name, string TenantId, IReadOnlyList<TeamMember> Members, DirectoryGroup? Group = null)
{
    public const int MaxMembers = 50;
    public const int MaxNameLength = 100;

    /// <summary>Fewer opted-in people than this and the team sees no aggregate: small groups would show individuals.</summary>
    public const int MinimumForAggregate = 5;

    public IReadOnlyList<TeamMember> OptedIn => [.. Members.Where(m => m.OptedIn && m.User is not null)];

    public TeamMember? Named(string? email) =>
        email is null ? null : Members.FirstOrDefault(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A team as one of the people named in it lists it; <see cref="Group"/> names the directory group it follows.</summary>
public sealed record TeamListing(string Id, string Name, bool OptedIn, string? Group = null);

/// <summary>What came of making a team from a directory group.</summary>
public abstract record TeamFromGroup
{
    private TeamFromGroup() { }

    public sealed record Created(Team Team) : TeamFromGroup;

    /// <summary>No such group in the caller's organisation, or one the caller is not in: the same answer for both.</summary>
    public sealed record NotFound : TeamFromGroup;

    public sealed record TooLarge(int Limit) : TeamFromGroup;
}

/// <summary>Teams, stored by id with their members, and indexed by each member's address.</summary>
public interface ITeamStore
{
    Task CreateAsync(Team team, CancellationToken cancellationToken);

    Task<Team?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stores one member's answer (their row and their index row).</summary>
    Task SaveMemberAsync(Team team, TeamMember member, CancellationToken cancellationToken);

    /// <summary>Takes someone out of the team: their row and their index row go.</summary>
    Task RemoveMemberAsync(Team team, TeamMember member, CancellationToken cancellationToken);

    Task<IReadOnlyList<TeamListing>> NamingAsync(string email, CancellationToken cancellationToken);
}

/// <summary>Loops between two opted-in members, from the customer's side: how many, in which quadrant, how many past a clock.</summary>
public sealed record TeamEdge(string Customer, string Performer, int Open, IReadOnlyDictionary<string, int> ByQuadrant, int AtRisk);

/// <summary>
/// What a team's opted-in member sees: who opted in, and — only with <see cref="Team.MinimumForAggregate"/> of them —
/// the sum of their figures and the network between them. Never one person's figures.
/// </summary>
public sealed record TeamFigures(
    Team Team, int Weeks, FigureTotals? Aggregate, IReadOnlyList<string> Sentences, string? Withheld, IReadOnlyList<TeamEdge>? Network);

/// <summary>
/// The opt-in team roll-up. A team is a named set of addresses, or a directory group's people; each person named
/// answers for themselves (the creator opts in by creating it). Only those who opted in count, and only they see the team.
/// </summary>
public sealed class TeamService(ITeamStore teams, IFigureStore figures, IWorkflowIndex index, IDirectoryGroups groups, TimeProvider time)
{
    /// <summary>The directory groups the caller is in: the ones they may make a team of.</summary>
    public Task<IReadOnlyList<DirectoryGroup>> GroupsAsync(Caller caller, CancellationToken cancellationToken) =>
        groups.GroupsOfAsync(caller.Id, cancellationToken);

    /// <summary>
    /// A team of a directory group the caller is in, named after it unless <paramref name="name"/> says otherwise. Everyone
    /// in the group is named; each still opts in for themselves.
    /// </summary>
    public async Task<TeamFromGroup> CreateFromGroupAsync(Caller caller, string groupId, string? name, CancellationToken cancellationToken)
    {
        var creator = caller.Email ?? throw new InvalidOperationException("A signed-in user has an address.");
        // A group one is not in is one whose members one may not list: the same 404 as no group at all.
        if (await groups.MembersAsync(caller.Id.TenantId, groupId, Team.MaxMembers, cancellationToken) is not { } found
            || !found.Users.Any(u => u.Id == caller.Id))
        {
            return new TeamFromGroup.NotFound();
        }
        if (found.MoreThanLimit)
        {
            return new TeamFromGroup.TooLarge(Team.MaxMembers);
        }
        var members = Named(caller, creator, found.Users.Where(u => u.Id != caller.Id).Select(u => u.Email));
        var title = string.IsNullOrWhiteSpace(name) ? found.Group.DisplayName : name;
        var team = new Team(Guid.NewGuid().ToString("N"), Shorten(title.Trim()), caller.Id.TenantId, members, found.Group);
        await teams.CreateAsync(team, cancellationToken);
        return new TeamFromGroup.Created(team);
    }

    /// <summary>Those a new team names: its creator first, opted in; everyone else once, by address, not yet answered.</summary>
    private static List<TeamMember> Named(Caller caller, string creator, IEnumerable<string> emails) =>
        [.. emails.Select(e => e.Trim().ToLowerInvariant()).Distinct()
            .Where(e => !string.Equals(e, creator, StringComparison.OrdinalIgnoreCase))
            .Select(e => new TeamMember(e, null, false))
            .Prepend(new TeamMember(creator.ToLowerInvariant(), caller.Id, true))];

    private static string Shorten(string name) => name.Length <= Team.MaxNameLength ? name : name[..Team.MaxNameLength];

    /// <summary>
    /// Brings a group's team up to the group as the directory has it now: newcomers named (not opted in), leavers taken
    /// out. When the directory cannot say (the group is gone, or too large to read whole) the team stays as it was.
    /// </summary>
    private async Task<Team> FollowGroupAsync(Team team, CancellationToken cancellationToken)
    {
        if (team.Group is not { } group
            || await groups.MembersAsync(team.TenantId, group.Id, Team.MaxMembers, cancellationToken) is not { MoreThanLimit: false } now)
        {
            return team;
        }
        var inGroup = now.Users.Select(u => u.Email.Trim().ToLowerInvariant()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var members = new List<TeamMember>();
        foreach (var member in team.Members)
        {
            if (inGroup.Contains(member.Email))
            {
                members.Add(member);
            }
            else
            {
                await teams.RemoveMemberAsync(team, member, cancellationToken);
            }
        }
        foreach (var email in inGroup.Where(e => team.Named(e) is null))
        {
            var newcomer = new TeamMember(email, null, false);
            await teams.SaveMemberAsync(team, newcomer, cancellationToken);
            members.Add(newcomer);
        }
        return team with { Members = members };
    }

    public async Task<Team> CreateAsync(Caller caller, string name, IReadOnlyList<string> emails, CancellationToken cancellationToken)
    {
        var creator = caller.Email ?? throw new InvalidOperationException("A signed-in user has an address.");
        var members = Named(caller, creator, emails);
        var team = new Team(Guid.NewGuid().ToString("N"), name.Trim(), caller.Id.TenantId, members);
        await teams.CreateAsync(team, cancellationToken);
        return team;
    }

    public Task<IReadOnlyList<TeamListing>> MineAsync(Caller caller, CancellationToken cancellationToken) =>
        caller.Email is { } email ? teams.NamingAsync(email.ToLowerInvariant(), cancellationToken) : Task.FromResult<IReadOnlyList<TeamListing>>([]);

    /// <summary>A named person opts in or out; null when the caller is not named in the team (or there is none).</summary>
    public async Task<TeamListing?> AnswerAsync(Caller caller, string id, bool optIn, CancellationToken cancellationToken)
    {
        // A team is one organisation's: an address named in it answers only from the creator's tenant.
        if (await teams.FindAsync(id, cancellationToken) is not { } found || found.TenantId != caller.Id.TenantId)
        {
            return null;
        }
        // A group's team is answered by whoever is in the group now, including someone who joined it since it was made.
        var team = await FollowGroupAsync(found, cancellationToken);
        if (team.Named(caller.Email) is not { } named)
        {
            return null;
        }
        await teams.SaveMemberAsync(team, named with { User = caller.Id, OptedIn = optIn }, cancellationToken);
        return new TeamListing(team.Id, team.Name, optIn, team.Group?.DisplayName);
    }

    /// <summary>The team as an opted-in member sees it; null for anyone else (who must not learn it exists).</summary>
    public async Task<TeamFigures?> ViewAsync(Caller caller, string id, int weeks, CancellationToken cancellationToken)
    {
        if (await teams.FindAsync(id, cancellationToken) is not { } found
            || !found.OptedIn.Any(m => m.User == caller.Id))
        {
            return null;
        }
        // Someone who left the group leaves its team: they see it no more, and it counts them no more.
        var team = await FollowGroupAsync(found, cancellationToken);
        if (!team.OptedIn.Any(m => m.User == caller.Id))
        {
            return null;
        }
        var opted = team.OptedIn;
        if (opted.Count < Team.MinimumForAggregate)
        {
            return new(team, weeks, null, [],
                $"A team's figures are shown once {Team.MinimumForAggregate} people have opted in; {opted.Count} {(opted.Count == 1 ? "has" : "have")}.", null);
        }
        var now = time.GetUtcNow();
        var from = FigureService.WeekStart(now).AddDays(-7 * (weeks - 1));
        var rows = new List<FigureRow>();
        var edges = new Dictionary<(string, string), List<WorkflowSummary>>();
        var emails = opted.Select(m => m.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var member in opted)
        {
            rows.AddRange(await figures.OfAsync(member.User!, from, cancellationToken));
            // Each loop once, from its customer's line, and only when its performer opted in too.
            var lines = await index.ListAsync(member.User!, new ListQuery(ListView.Active, null, null, null), cancellationToken);
            foreach (var line in lines.Items.Where(l => l.Role == PartyRole.Customer && l.CounterpartEmail is { } c && emails.Contains(c)))
            {
                var edge = (member.Email, line.CounterpartEmail!.ToLowerInvariant());
                edges.TryAdd(edge, []);
                edges[edge].Add(line);
            }
        }
        var totals = FigureTotals.Of(rows);
        var network = edges.Select(e => new TeamEdge(e.Key.Item1, e.Key.Item2, e.Value.Count,
                e.Value.GroupBy(l => Quadrants.Name(l.Quadrant)).ToDictionary(g => g.Key, g => g.Count()),
                e.Value.Count(l => l.NextClockAt < now)))
            .OrderBy(e => e.Customer, StringComparer.Ordinal).ThenBy(e => e.Performer, StringComparer.Ordinal)
            .ToList();
        return new(team, weeks, totals, FigureSentences.Of(totals, weeks, "The team"), null, network);
    }
}
