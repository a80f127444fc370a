using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Api.Application;
using Workflow.Api.Hosting;
using Workflow.Api.Identity;
using Workflow.Domain;
using static Workflow.Api.Hosting.OpenApiContract;

namespace Workflow.Api.Features.Workflows;

public static class WorkflowEndpoints
{
    // Routes
    //   POST /api/workflows                  open a workflow (optionally from a mail thread or meeting)
    //   GET  /api/workflows                  my lists: ?view=iOwe|owedToMe|myMove|all&quadrant=Q1..Q4|closed&dueBefore=&cursor=
    //   GET  /api/workflows/{id}             one workflow, with the moves I may make now
    //   POST /api/workflows/{id}/moves       make a move: If-Match required, Idempotency-Key optional
    //   GET  /api/workflows/{id}/history     its events in order, a page at a time: ?cursor=&limit=1..200 (default 100)

    public static RouteGroupBuilder MapWorkflows(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workflows").RequireAuthorization(Authentication.UserPolicy).WithTags("Workflows");
        group.MapPost("/", Open)
            .Contract("openWorkflow", "Open a workflow", 201, 409, 422).TakesJson<OpenBody>().Reads(RequestHeader.IdempotencyKey);
        group.MapGet("/", List).Contract("listWorkflows", "My lists", 200, 400)
            .QueryOneOf("view", "iOwe", "owedToMe", "myMove", "all").QueryOneOf("quadrant", "Q1", "Q2", "Q3", "Q4", "closed");
        group.MapGet("/{id}", Get).Contract("getWorkflow", "One workflow, with the moves I may make now", 200, 404);
        group.MapPost("/{id}/moves", MakeMove)
            .Contract("makeMove", "Make a move on the version I decided on", 200, 201, 404, 409, 412, 422, 428)
            .TakesJson<MoveBody>().Reads(RequestHeader.IfMatch, RequestHeader.IdempotencyKey);
        group.MapGet("/{id}/history", History).Contract("getHistory", "A workflow's events in order, a page at a time", 200, 400, 404)
            .QueryWholeNumber("limit", 1, MaxHistoryPageSize);
        return group;
    }

    public sealed record OpenBody(
        string Concern,
        string Customer,
        string Performer,
        string? Conditions = null,
        DateTimeOffset? DueBy = null,
        SourceBody? Source = null);

    /// <summary>
    /// Where a workflow came from. <c>key</c> is the item key the add-in links by (for a message its thread, for a
    /// meeting its series or occurrence); ids are kept only as the client gives them.
    /// </summary>
    public sealed record SourceBody(string Key, ItemKind Kind, string? Subject = null);

    public sealed record MoveBody(
        string Move,
        string? Conditions = null,
        DateTimeOffset? DueBy = null,
        DateTimeOffset? ReplyBy = null,
        DateTimeOffset? AssessBy = null,
        string? Text = null);

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> Open(
        HttpContext context, WorkflowService workflows, IDirectory directory, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync<OpenBody>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (Requests.IdempotencyKey(context.Request, out var key) is { } keyProblem)
        {
            return keyProblem;
        }
        if (body!.Source is { } source && ItemKeys.Problem(source.Key) is { } sourceProblem)
        {
            return Problems.Invalid(sourceProblem);
        }
        if (body.Source?.Subject is { Length: > ItemKeys.MaxSubjectLength })
        {
            return Problems.Invalid($"source.subject is at most {ItemKeys.MaxSubjectLength} characters.");
        }
        if (!IsPartyName(body.Customer) || !IsPartyName(body.Performer))
        {
            return Problems.Invalid("customer and performer must each be an email address or \"me\".");
        }
        if (Dates.Problem(("dueBy", body.DueBy)) is { } dateProblem)
        {
            return Problems.Invalid(dateProblem);
        }
        var caller = await CallerIdentity.CallerOfAsync(context, directory);
        var request = new OpenRequest(body.Concern, body.Customer, body.Performer, body.Conditions, body.DueBy?.ToUniversalTime(),
            body.Source is { } s ? new SourceItem(s.Key, s.Kind, s.Subject) : null);
        var outcome = await workflows.OpenAsync(caller!, request, key, Requests.Hash("open", body), context.RequestAborted);
        if (outcome is Outcome.Done { Created: true } done)
        {
            context.Response.Headers.ETag = ETags.Of(done.State.Version);
            return TypedResults.Created($"/api/workflows/{done.State.Id}", WorkflowView.Of(done.State, done.CallerRole, time.GetUtcNow()));
        }
        return Answer(context, outcome, time);
    }

    private static async Task<Results<Ok<ListView>, ProblemHttpResult>> List(
        HttpContext context, IWorkflowIndex index, IIndexUpdates queue, TimeProvider time,
        string? view, string? quadrant, DateTimeOffset? dueBefore, string? cursor)
    {
        if (!TryParseView(view, out var parsedView))
        {
            return Problems.Invalid("view must be one of iOwe, owedToMe, myMove, all.");
        }
        Quadrant? parsedQuadrant = quadrant switch
        {
            null => null,
            "Q1" or "q1" => Quadrant.Q1,
            "Q2" or "q2" => Quadrant.Q2,
            "Q3" or "q3" => Quadrant.Q3,
            "Q4" or "q4" => Quadrant.Q4,
            "closed" or "Closed" => Quadrant.Closed,
            _ => (Quadrant)(-1),
        };
        if (parsedQuadrant is { } q && !Enum.IsDefined(q))
        {
            return Problems.Invalid("quadrant must be one of Q1, Q2, Q3, Q4, closed.");
        }
        if (cursor is { Length: > 2048 })
        {
            return Problems.Invalid("cursor is not valid.");
        }
        if (Dates.Problem(("dueBefore", dueBefore)) is { } dateProblem)
        {
            return Problems.Invalid(dateProblem);
        }
        var user = CallerIdentity.UserOf(context.User)!;
        await queue.WaitForUserAsync(user, context.RequestAborted);
        ListPage page;
        try
        {
            page = await index.ListAsync(user, new ListQuery(parsedView, parsedQuadrant, dueBefore?.ToUniversalTime(), cursor), context.RequestAborted);
        }
        catch (FormatException)
        {
            return Problems.Invalid("cursor is not valid: pass back the 'next' value of the previous page unchanged.");
        }
        var now = time.GetUtcNow();
        var listView = new ListView([.. page.Items.Select(s => SummaryView.Of(s, now))], page.NextCursor);
        return TypedResults.Ok(listView);
    }

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> Get(
        string id, HttpContext context, WorkflowService workflows, TimeProvider time)
    {
        if (!Requests.IsWorkflowId(id))
        {
            return Problems.NotFound();
        }
        var caller = CallerIdentity.FromToken(context.User);
        return Answer(context, await workflows.GetAsync(caller!, id, context.RequestAborted), time);
    }

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> MakeMove(
        string id, HttpContext context, WorkflowService workflows, TimeProvider time)
    {
        if (!Requests.IsWorkflowId(id))
        {
            return Problems.NotFound();
        }
        var (body, problem) = await JsonBody.ReadAsync<MoveBody>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (!Moves.TryParse(body!.Move, out var move))
        {
            return Problems.Invalid($"'{body.Move}' is not a move. Moves: {string.Join(", ", Enum.GetValues<Move>().Select(WorkflowDecider.Name))}.");
        }
        if (Requests.IdempotencyKey(context.Request, out var key) is { } keyProblem)
        {
            return keyProblem;
        }
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            return Problems.PreconditionRequired();
        }
        if (ETags.ParseIfMatch(ifMatch) is not { } expected)
        {
            return Problems.Invalid("If-Match must be the one ETag of the version you decided on, as returned by the API, such as \"3\".");
        }

        if (Dates.Problem(("dueBy", body.DueBy), ("replyBy", body.ReplyBy), ("assessBy", body.AssessBy)) is { } dateProblem)
        {
            return Problems.Invalid(dateProblem);
        }

        var caller = CallerIdentity.FromToken(context.User);
        var details = new MoveDetails
        {
            Conditions = body.Conditions,
            DueBy = body.DueBy?.ToUniversalTime(),
            ReplyBy = body.ReplyBy?.ToUniversalTime(),
            AssessBy = body.AssessBy?.ToUniversalTime(),
            Text = body.Text,
        };
        var outcome = await workflows.MoveAsync(
            caller!, id, expected, new Domain.MakeMove(move, details), key, Requests.Hash(id, body), context.RequestAborted);
        if (outcome is Outcome.Done { State.RepeatedAs: { } newId } && move == Move.Repeat)
        {
            var repeated = await workflows.GetAsync(caller!, newId, context.RequestAborted);
            if (repeated is Outcome.Done created)
            {
                context.Response.Headers.ETag = ETags.Of(created.State.Version);
                return TypedResults.Created($"/api/workflows/{newId}", WorkflowView.Of(created.State, created.CallerRole, time.GetUtcNow()));
            }
        }
        return Answer(context, outcome, time);
    }

    public const int HistoryPageSize = 100;
    public const int MaxHistoryPageSize = 200;

    private static async Task<Results<Ok<HistoryPageView>, ProblemHttpResult>> History(
        string id, HttpContext context, WorkflowService workflows, string? cursor = null, string? limit = null)
    {
        if (!Requests.IsWorkflowId(id))
        {
            return Problems.NotFound();
        }
        if (!HistoryCursor.TryRead(cursor, out var after))
        {
            return Problems.Invalid("cursor must be the next value of an earlier page of this history.");
        }
        var size = HistoryPageSize;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size)
                || size is < 1 or > MaxHistoryPageSize))
        {
            return Problems.Invalid($"limit must be a whole number from 1 to {MaxHistoryPageSize}.");
        }
        var caller = CallerIdentity.FromToken(context.User);
        if (await workflows.HistoryAsync(caller!, id, after, size, context.RequestAborted) is not { } page)
        {
            return Problems.NotFound();
        }
        // The actors are named as the parties stand now: a party bound later is named in their early events too.
        var entries = page.Events
            .Select(e => new HistoryEntryView(
                e.Version,
                JsonNamingPolicy.CamelCase.ConvertName(e.Event.GetType().Name),
                e.Event.By,
                page.State[e.Event.By].DisplayName ?? page.State[e.Event.By].Email,
                e.Event.At,
                e.Event))
            .ToArray();
        return TypedResults.Ok(new HistoryPageView(entries, page.NextAfter is { } next ? HistoryCursor.Write(next) : null));
    }

    /// <summary>A history page's cursor: the version it continues after, opaque to clients ("v" + the number).</summary>
    private static class HistoryCursor
    {
        public static string Write(int afterVersion) => "v" + afterVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public static bool TryRead(string? cursor, out int afterVersion)
        {
            afterVersion = 0;
            return cursor is null
                || (cursor.Length is > 1 and <= 11 && cursor[0] == 'v'
                    && int.TryParse(cursor.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out afterVersion));
        }
    }

    /// <summary>The one mapping from outcomes to HTTP answers.</summary>
    internal static Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult> Answer(HttpContext context, Outcome outcome, TimeProvider time)
    {
        switch (outcome)
        {
            case Outcome.Done done:
                context.Response.Headers.ETag = ETags.Of(done.State.Version);
                var view = WorkflowView.Of(done.State, done.CallerRole, time.GetUtcNow());
                return done.Created ? TypedResults.Created($"/api/workflows/{done.State.Id}", view) : TypedResults.Ok(view);
            case Outcome.NotFound:
                return Problems.NotFound();
            case Outcome.Invalid invalid:
                return Problems.Invalid(invalid.Message);
            case Outcome.Refused refused:
                return Problems.Refused(refused.Rejection, refused.State, refused.State.RoleOf(CallerIdentity.UserOf(context.User)!)!.Value);
            case Outcome.Stale stale:
                context.Response.Headers.ETag = ETags.Of(stale.Current.Version);
                return Problems.Stale(stale.Current);
            case Outcome.KeyReused:
                return Problems.KeyReused();
            default:
                return Problems.Busy();
        }
    }

    private static bool TryParseView(string? view, out Application.ListView parsed)
    {
        parsed = view switch
        {
            null or "all" => Application.ListView.All,
            "iOwe" => Application.ListView.IOwe,
            "owedToMe" => Application.ListView.OwedToMe,
            "myMove" => Application.ListView.MyMove,
            _ => (Application.ListView)(-1),
        };
        return Enum.IsDefined(parsed);
    }

    private static bool IsPartyName(string who) =>
        string.Equals(who, OpenRequest.Me, StringComparison.OrdinalIgnoreCase)
        || (who.Length is > 2 and <= 254 && System.Net.Mail.MailAddress.TryCreate(who, out var address) && address.Address == who.Trim());
}
