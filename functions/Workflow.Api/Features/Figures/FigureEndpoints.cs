using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Api.Identity;
using Workflow.Application;
using Workflow.Domain;
using static Workflow.Api.Hosting.OpenApiContract;

namespace Workflow.Api.Features.Figures;

/// <summary>A person's own figures, and the teams they opted into (docs/decisions/0015).</summary>
public static class FigureEndpoints
{
    // Routes
    //   GET /api/figures?weeks=4|13|52&with=<email>     my own figures: totals, per counterpart, per week, in sentences
    //   GET /api/teams                                  the teams I am named in, and whether I opted in
    //   GET /api/teams/groups                           the directory groups I am in: the ones I may make a team of
    //   POST /api/teams                                 create a team, me opted in: { name, members: [emails] } or { group, name? }
    //   PUT /api/teams/{id}/membership                  opt in or out of a team I am named in: { optIn }
    //   GET /api/teams/{id}?weeks=4|13|52               a team I opted into: its aggregate and network, from 5 people who opted in

    public static void MapFigures(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/figures", Get).RequireAuthorization(Authentication.UserPolicy).WithTags("Figures")
            .Contract("getFigures", "My own promise-keeping figures", 200, 400);
        var teams = app.MapGroup("/api/teams").RequireAuthorization(Authentication.UserPolicy).WithTags("Figures");
        teams.MapGet("/", ListTeams).Contract("listTeams", "The teams I am named in", 200);
        teams.MapGet("/groups", Groups).Contract("listMyGroups", "The directory groups I am in, to make a team of", 200);
        teams.MapPost("/", CreateTeam).Contract("createTeam", "Create a team of people who each opt in, or of a directory group I am in; I am opted in", 201, 404).TakesJson<TeamBody>();
        teams.MapPut("/{id:workflowId}/membership", Answer).Contract("answerTeam", "Opt in or out of a team I am named in", 200, 404, 422).TakesJson<MembershipBody>();
        teams.MapGet("/{id:workflowId}", GetTeam).Contract("getTeam", "A team I opted into: aggregate figures and its network", 200, 400, 404);
    }

    public sealed record FiguresView(
        int Weeks, DateTimeOffset From, FigureTotals Totals, IReadOnlyList<string> Sentences,
        IReadOnlyList<CounterpartFigures> Counterparts, IReadOnlyList<WeekFigures> ByWeek);

    public sealed record TeamListView(IReadOnlyList<TeamListing> Teams);

    public sealed record GroupListView(IReadOnlyList<DirectoryGroup> Groups);

    /// <param name="Members">The addresses of the people who opted in (no one else's is shown).</param>
    /// <param name="Group">The directory group the team follows, by name; null for a team of addresses.</param>
    /// <param name="Aggregate">The sum of the opted-in members' figures; null with <see cref="Withheld"/> saying why.</param>
    /// <param name="Network">The open loops between opted-in members; null whenever the aggregate is.</param>
    public sealed record TeamView(
        string Id, string Name, int Named, IReadOnlyList<string> Members, int Weeks, FigureTotals? Aggregate,
        IReadOnlyList<string> Sentences, string? Withheld, IReadOnlyList<TeamEdge>? Network, string? Group);

    /// <param name="Members">The people of a team of addresses.</param>
    /// <param name="Group">Instead of members: the id of a directory group I am in; the team follows it.</param>
    public sealed record TeamBody(string? Name = null, string[]? Members = null, string? Group = null) : IRequestBody
    {
        public static ValueTask<TeamBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<TeamBody>(context);

        public string? Problem() =>
            Name is { Length: > Team.MaxNameLength } ? $"name is at most {Team.MaxNameLength} characters."
            : (Members, Group) switch
            {
                (not null, not null) => "Give members or a group, not both.",
                (null, null) => "Give members (email addresses) or a group (a directory group's id).",
                (null, { } group) => Guid.TryParse(group, out _) ? null : "group must be a directory group's id.",
                ({ } members, null) when string.IsNullOrWhiteSpace(Name) => $"name is required, at most {Team.MaxNameLength} characters.",
                ({ } members, null) => members.Length > Team.MaxMembers - 1 ? $"A team has at most {Team.MaxMembers} people."
                    : members.All(IsEmail) ? null : "members must be email addresses.",
            };

        private static bool IsEmail(string? who) =>
            who is { Length: > 2 and <= 254 } && System.Net.Mail.MailAddress.TryCreate(who, out var address) && address.Address == who.Trim();
    }

    public sealed record MembershipBody(bool OptIn) : IRequestBody
    {
        public static ValueTask<MembershipBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<MembershipBody>(context);

        public string? Problem() => null;
    }

    private static bool ValidWeeks(int? weeks) => weeks is null || FigureService.Windows.Contains(weeks.Value);

    private static async Task<Results<Ok<FiguresView>, ProblemHttpResult>> Get(
        [FromServices] Caller caller, HttpContext context, FigureService figures, IFollowUps followUps, int? weeks, string? with)
    {
        if (!ValidWeeks(weeks))
        {
            return Problems.Invalid("weeks must be 4, 13 or 52.");
        }
        if (with is { Length: > 254 })
        {
            return Problems.Invalid("with must be an email address.");
        }
        await followUps.WaitForUserAsync(caller.Id, context.RequestAborted);
        var f = await figures.OfAsync(caller.Id, weeks ?? 13, with, context.RequestAborted);
        return TypedResults.Ok(new FiguresView(f.Weeks, f.From, f.Totals, f.Sentences, f.Counterparts, f.ByWeek));
    }

    private static async Task<Ok<TeamListView>> ListTeams([FromServices] Caller caller, HttpContext context, TeamService teams) =>
        TypedResults.Ok(new TeamListView(await teams.MineAsync(caller, context.RequestAborted)));

    private static async Task<Ok<GroupListView>> Groups([FromServices] Caller caller, HttpContext context, TeamService teams) =>
        TypedResults.Ok(new GroupListView(await teams.GroupsAsync(caller, context.RequestAborted)));

    private static async Task<Results<Created<TeamView>, ProblemHttpResult>> CreateTeam(
        TeamBody body, [FromServices] Caller caller, HttpContext context, TeamService teams)
    {
        Team team;
        if (body.Group is { } group)
        {
            switch (await teams.CreateFromGroupAsync(caller, group, body.Name, context.RequestAborted))
            {
                case TeamFromGroup.Created created:
                    team = created.Team;
                    break;
                case TeamFromGroup.TooLarge tooLarge:
                    return Problems.Invalid($"That group has more than {tooLarge.Limit} people; a team has at most {tooLarge.Limit}.");
                default:
                    return Problems.GroupNotFound();
            }
        }
        else
        {
            team = await teams.CreateAsync(caller, body.Name!, body.Members!, context.RequestAborted);
        }
        var view = await teams.ViewAsync(caller, team.Id, 13, context.RequestAborted);
        return TypedResults.Created($"/api/teams/{team.Id}", ViewOf(view!));
    }

    private static async Task<Results<Ok<TeamListing>, ProblemHttpResult>> Answer(
        string id, MembershipBody body, [FromServices] Caller caller, HttpContext context, TeamService teams) =>
        await teams.AnswerAsync(caller, id, body.OptIn, context.RequestAborted) is { } listing
            ? TypedResults.Ok(listing)
            : Problems.NotFound();

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> GetTeam(
        string id, int? weeks, [FromServices] Caller caller, HttpContext context, TeamService teams)
    {
        if (!ValidWeeks(weeks))
        {
            return Problems.Invalid("weeks must be 4, 13 or 52.");
        }
        return await teams.ViewAsync(caller, id, weeks ?? 13, context.RequestAborted) is { } view
            ? TypedResults.Ok(ViewOf(view))
            : Problems.NotFound();
    }

    private static TeamView ViewOf(TeamFigures f) => new(
        f.Team.Id, f.Team.Name, f.Team.Members.Count, [.. f.Team.OptedIn.Select(m => m.Email)], f.Weeks, f.Aggregate,
        f.Sentences, f.Withheld, f.Network, f.Team.Group?.DisplayName);
}
