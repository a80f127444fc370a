using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Api.Features.Workflows;
using Workflow.Api.Identity;
using Workflow.Application;
using Workflow.Domain;
using static Workflow.Api.Hosting.OpenApiContract;

namespace Workflow.Api.Features.Roles;

public static class RoleEndpoints
{
    // Routes (a role's writes take If-Match, its version as the ETag; creates and writes take an optional Idempotency-Key)
    //   GET    /api/roles                                   roles I hold, roles with cycles offered to me, roles I held before
    //   POST   /api/roles                                   create a role I hold: { name, accountabilities: [...] }
    //   GET    /api/roles/schedule-preview?schedule=&timeZone=   the next occurrences of a schedule (what the pane previews)
    //   GET    /api/roles/{id}                              one role (its holder, a past holder, or someone offered a cycle of it)
    //   POST   /api/roles/{id}/accountabilities             add a recurring template
    //   DELETE /api/roles/{id}/accountabilities/{aid}       remove one (its open cycles go on)
    //   POST   /api/roles/{id}/handover                     hand the role to a colleague: { to }; its open cycles are offered to them
    //   POST   /api/roles/{id}/offers/{workflowId}          the new holder answers an offered cycle: { accept }
    //   POST   /api/workflows/{id}/role                     save a closed loop as a role in one step (its performer)

    public static void MapRoles(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/roles").RequireAuthorization(Authentication.UserPolicy).WithTags("Roles");
        group.MapGet("/", List).Contract("listRoles", "Roles I hold, roles with cycles offered to me, roles I held", 200);
        group.MapPost("/", Create).Contract("createRole", "Create a role I hold", 201, 422).TakesJson<CreateRoleBody>().Reads(RequestHeader.IdempotencyKey);
        group.MapGet("/schedule-preview", Preview).Contract("previewSchedule", "The next occurrences of a schedule in a time zone", 200, 400);
        group.MapGet("/{id:workflowId}", Get).Contract("getRole", "One role", 200, 404);
        group.MapPost("/{id:workflowId}/accountabilities", AddAccountability)
            .Contract("addAccountability", "Add a recurring template to a role I hold", 200, 404, 409, 412, 422, 428)
            .TakesJson<AccountabilityBody>().Reads(RequestHeader.IfMatch, RequestHeader.IdempotencyKey);
        group.MapDelete("/{id:workflowId}/accountabilities/{aid}", RemoveAccountability)
            .Contract("removeAccountability", "Remove a recurring template from a role I hold", 200, 400, 404, 409, 412, 422, 428)
            .Reads(RequestHeader.IfMatch, RequestHeader.IdempotencyKey);
        group.MapPost("/{id:workflowId}/handover", HandOver)
            .Contract("handOverRole", "Hand a role I hold to a colleague; its open cycles are offered to them", 200, 404, 409, 412, 422, 428)
            .TakesJson<HandoverBody>().Reads(RequestHeader.IfMatch, RequestHeader.IdempotencyKey);
        group.MapPost("/{id:workflowId}/offers/{workflowId:workflowId}", AnswerOffer)
            .Contract("answerRoleOffer", "Accept an offered cycle of a role handed to me, or leave it with the old holder", 200, 404, 409, 412, 422, 428)
            .TakesJson<OfferAnswerBody>().Reads(RequestHeader.IfMatch, RequestHeader.IdempotencyKey);

        app.MapPost("/api/workflows/{id:workflowId}/role", SaveAsRole).RequireAuthorization(Authentication.UserPolicy).WithTags("Roles")
            .Contract("saveAsRole", "Save a closed loop as a role I hold (\"do this every month\")", 200, 201, 404, 409, 422)
            .TakesJson<SaveAsRoleBody>().Reads(RequestHeader.IdempotencyKey);
    }

    /// <param name="Customer">The customer's email address: each cycle is their request, or a promise made to them.</param>
    /// <param name="Schedule">Five cron fields, minute hour day-of-month month day-of-week ("0 9 1 * *": 09:00 on each 1st), at most daily.</param>
    /// <param name="TimeZone">The holder's time zone the schedule is read in (IANA, such as Europe/Berlin); UTC if absent.</param>
    /// <param name="LeadDays">How many days before each occurrence its cycle opens (1–90).</param>
    /// <param name="Start">Each cycle starts as the customer's <c>request</c>, or as the holder's standing <c>promise</c>.</param>
    public sealed record AccountabilityBody(
        string Concern, string Conditions, string Customer, string Schedule, string? TimeZone = null, int LeadDays = 3,
        CycleStart Start = CycleStart.Request) : IRequestBody
    {
        public static ValueTask<AccountabilityBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<AccountabilityBody>(context);

        public string? Problem() =>
            string.IsNullOrWhiteSpace(Concern) || Concern.Length > WorkflowDecider.MaxConcernLength ? $"concern is required, at most {WorkflowDecider.MaxConcernLength} characters."
            : string.IsNullOrWhiteSpace(Conditions) || Conditions.Length > WorkflowDecider.MaxConditionsLength ? $"conditions are required, at most {WorkflowDecider.MaxConditionsLength} characters."
            : !RoleBodies.IsEmail(Customer) ? "customer must be an email address."
            : RoleBodies.RecurrenceProblem(Schedule, TimeZone, LeadDays, Start);

        public AccountabilityRequest Request() => new(Concern, Conditions, Customer, Schedule, TimeZone, LeadDays, Start);
    }

    public sealed record CreateRoleBody(string Name, AccountabilityBody[] Accountabilities) : IRequestBody
    {
        public static ValueTask<CreateRoleBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<CreateRoleBody>(context);

        public string? Problem() =>
            RoleBodies.NameProblem(Name)
            ?? (Accountabilities.Length > Role.MaxAccountabilities ? $"A role has at most {Role.MaxAccountabilities} accountabilities." : null)
            ?? Accountabilities.Select(a => a.Problem()).FirstOrDefault(p => p is not null);
    }

    /// <summary>The closed loop's concern, terms and customer make the template; these say when it recurs.</summary>
    public sealed record SaveAsRoleBody(string Name, string Schedule, string? TimeZone = null, int LeadDays = 3, CycleStart Start = CycleStart.Request)
        : IRequestBody
    {
        public static ValueTask<SaveAsRoleBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<SaveAsRoleBody>(context);

        public string? Problem() => RoleBodies.NameProblem(Name) ?? RoleBodies.RecurrenceProblem(Schedule, TimeZone, LeadDays, Start);
    }

    /// <param name="To">The email address of the colleague who holds the role from now on.</param>
    public sealed record HandoverBody(string To) : IRequestBody
    {
        public static ValueTask<HandoverBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<HandoverBody>(context);

        public string? Problem() => RoleBodies.IsEmail(To) ? null : "to must be an email address.";
    }

    /// <param name="Accept">True: the cycle becomes yours. False: it stays with the old holder.</param>
    public sealed record OfferAnswerBody(bool Accept) : IRequestBody
    {
        public static ValueTask<OfferAnswerBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<OfferAnswerBody>(context);

        public string? Problem() => null;
    }

    private static async Task<Ok<RoleListView>> List([FromServices] Caller caller, HttpContext context, RoleService roles, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var mine = await roles.ListAsync(caller, context.RequestAborted);
        RoleView[] Where(Func<Role, bool> which) => [.. mine.Where(which).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Select(r => RoleView.Of(r, caller.Id, now))];
        return TypedResults.Ok(new RoleListView(
            Where(r => r.IsHeldBy(caller.Id)),
            Where(r => r.Offers.Any(o => o.To.User == caller.Id)),
            Where(r => !r.IsHeldBy(caller.Id) && r.Holdings.Any(h => h.Holder.User == caller.Id))));
    }

    private static async Task<Results<Created<RoleView>, Ok<RoleView>, ProblemHttpResult>> Create(
        CreateRoleBody body, IdempotencyKey? key, [FromServices] Caller caller, HttpContext context, RoleService roles, IDirectory directory, TimeProvider time)
    {
        var named = await caller.WithDirectoryNameAsync(directory, context.RequestAborted);
        return Answer(context, await roles.CreateAsync(named, body.Name, [.. body.Accountabilities.Select(a => a.Request())], key?.Value,
            Requests.Hash(key, "role", body), context.RequestAborted), caller, time);
    }

    private static Results<Ok<SchedulePreviewView>, ProblemHttpResult> Preview(string? schedule, string? timeZone, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var (parsed, problem) = Schedule.Parse(schedule, timeZone, now);
        if (parsed is null)
        {
            return Problems.Invalid(problem!);
        }
        return TypedResults.Ok(new SchedulePreviewView(schedule!, parsed.TimeZone, [.. RoleSchedule.Next(now, 3, parsed.NextAfter)]));
    }

    private static async Task<Results<Created<RoleView>, Ok<RoleView>, ProblemHttpResult>> Get(
        string id, [FromServices] Caller caller, HttpContext context, RoleService roles, TimeProvider time) =>
        Answer(context, await roles.GetAsync(caller, id, context.RequestAborted), caller, time);

    private static async Task<Results<Created<RoleView>, Ok<RoleView>, ProblemHttpResult>> AddAccountability(
        string id, AccountabilityBody body, IfMatch ifMatch, IdempotencyKey? key, [FromServices] Caller caller, HttpContext context, RoleService roles, TimeProvider time) =>
        Answer(context, await roles.AddAccountabilityAsync(caller, id, ifMatch.Version, body.Request(), key?.Value, Requests.Hash(key, id, body), context.RequestAborted), caller, time);

    private static async Task<Results<Created<RoleView>, Ok<RoleView>, ProblemHttpResult>> RemoveAccountability(
        string id, string aid, IfMatch ifMatch, IdempotencyKey? key, [FromServices] Caller caller, HttpContext context, RoleService roles, TimeProvider time)
    {
        if (aid.Length is 0 or > 32 || !aid.All(char.IsAsciiLetterOrDigit))
        {
            return Problems.Invalid("aid is the id of one of the role's accountabilities, as the role shows it.");
        }
        return Answer(context, await roles.RemoveAccountabilityAsync(caller, id, ifMatch.Version, aid, key?.Value, Requests.Hash(key, id + "/remove", aid), context.RequestAborted), caller, time);
    }

    private static async Task<Results<Created<RoleView>, Ok<RoleView>, ProblemHttpResult>> HandOver(
        string id, HandoverBody body, IfMatch ifMatch, IdempotencyKey? key, [FromServices] Caller caller, HttpContext context, RoleService roles, TimeProvider time) =>
        Answer(context, await roles.HandOverAsync(caller, id, ifMatch.Version, body.To, key?.Value, Requests.Hash(key, id + "/handover", body), context.RequestAborted), caller, time);

    private static async Task<Results<Created<RoleView>, Ok<RoleView>, ProblemHttpResult>> AnswerOffer(
        string id, string workflowId, OfferAnswerBody body, IfMatch ifMatch, IdempotencyKey? key, [FromServices] Caller caller, HttpContext context,
        RoleService roles, TimeProvider time) =>
        Answer(context, await roles.AnswerOfferAsync(caller, id, ifMatch.Version, workflowId, body.Accept, key?.Value, Requests.Hash(key, id + "/" + workflowId, body), context.RequestAborted), caller, time);

    private static async Task<Results<Created<RoleView>, Ok<RoleView>, ProblemHttpResult>> SaveAsRole(
        string id, SaveAsRoleBody body, IdempotencyKey? key, [FromServices] Caller caller, HttpContext context, RoleService roles, IDirectory directory, TimeProvider time)
    {
        var named = await caller.WithDirectoryNameAsync(directory, context.RequestAborted);
        return Answer(context, await roles.SaveAsRoleAsync(named, id, body.Name, body.Schedule, body.TimeZone, body.LeadDays, body.Start, key?.Value,
            Requests.Hash(key, id + "/role", body), context.RequestAborted), caller, time);
    }

    /// <summary>The one mapping from a role's outcomes to HTTP answers.</summary>
    private static Results<Created<RoleView>, Ok<RoleView>, ProblemHttpResult> Answer(HttpContext context, RoleOutcome outcome, Caller caller, TimeProvider time)
    {
        switch (outcome)
        {
            case RoleOutcome.Done done:
                context.Response.Headers.ETag = ETags.Of(done.Role.Version);
                var view = RoleView.Of(done.Role, caller.Id, time.GetUtcNow());
                return done.Created ? TypedResults.Created($"/api/roles/{done.Role.Id}", view) : TypedResults.Ok(view);
            case RoleOutcome.NotFound:
                return Problems.RoleNotFound();
            case RoleOutcome.Invalid invalid:
                return Problems.Invalid(invalid.Message);
            case RoleOutcome.Refused refused:
                return Problems.NotYours(refused.Message);
            case RoleOutcome.Conflict conflict:
                return Problems.Problem(409, "not-possible-now", "That is not possible now.", conflict.Message);
            case RoleOutcome.Stale stale:
                context.Response.Headers.ETag = ETags.Of(stale.Current.Version);
                return Problems.Problem(412, "stale-version", "The role has changed since you loaded it.",
                    $"It is now at version {stale.Current.Version}. Reload it and decide again.",
                    new Dictionary<string, object?> { ["currentVersion"] = stale.Current.Version, ["currentETag"] = ETags.Of(stale.Current.Version) });
            case RoleOutcome.KeyReused:
                return Problems.KeyReused();
            default:
                return Problems.Busy();
        }
    }
}

/// <summary>The checks role bodies share.</summary>
internal static class RoleBodies
{
    public static string? NameProblem(string name) =>
        string.IsNullOrWhiteSpace(name) || name.Trim().Length > Role.MaxNameLength || name.Any(char.IsControl)
            ? $"name is required: 1 to {Role.MaxNameLength} characters, one line."
            : null;

    /// <summary>When a template recurs, as far as the body alone tells: the schedule itself is read by the service (its 400 says why).</summary>
    public static string? RecurrenceProblem(string schedule, string? timeZone, int leadDays, CycleStart start) =>
        leadDays is < 1 or > 90 ? "leadDays is a whole number of days from 1 to 90."
        : !Enum.IsDefined(start) ? "start must be request or promise."
        : string.IsNullOrWhiteSpace(schedule) || schedule.Length > 100 ? "schedule is required: five cron fields, minute hour day-of-month month day-of-week."
        : timeZone is { Length: 0 or > 64 } ? "timeZone is an IANA time zone id such as Europe/Berlin."
        : null;

    public static bool IsEmail(string who) =>
        who.Length is > 2 and <= 254 && System.Net.Mail.MailAddress.TryCreate(who, out var address) && address.Address == who.Trim();
}
