using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Application;
using Workflow.Api.Identity;
using Workflow.Domain;
using static Workflow.Api.Hosting.OpenApiContract;

namespace Workflow.Api.Features.Workflows;

public static class WorkflowEndpoints
{
    // Routes
    //   POST /api/workflows                  open a workflow (optionally from a mail thread or meeting; in draft, or as
    //                                        already requested or promised: "start")
    //   GET  /api/workflows                  my lists: ?view=iOwe|owedToMe|myMove|all&quadrant=Q1..Q4|closed&dueBefore=&cursor=
    //   GET  /api/workflows/{id}             one workflow, with the moves I may make now
    //   POST /api/workflows/{id}/moves       make a move: If-Match required, Idempotency-Key optional
    //   GET  /api/workflows/{id}/history     its events in order, a page at a time: ?cursor=&limit=1..200 (default 100)
    //   POST /api/workflows/{id}/guest-links/revoke   the personal links mailed to the other party stop working

    public static RouteGroupBuilder MapWorkflows(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workflows").RequireAuthorization(Authentication.UserPolicy).WithTags("Workflows");
        group.MapPost("/", Open)
            .Contract("openWorkflow", "Open a workflow", 201, 409, 422, 429).TakesJson<OpenBody>().Reads(RequestHeader.IdempotencyKey);
        group.MapGet("/", List).Contract("listWorkflows", "My lists", 200, 400)
            .QueryOneOf("view", "iOwe", "owedToMe", "myMove", "all").QueryOneOf("quadrant", "Q1", "Q2", "Q3", "Q4", "closed");
        group.MapGet("/{id:workflowId}", Get).Contract("getWorkflow", "One workflow, with the moves I may make now", 200, 404);
        group.MapPost("/{id:workflowId}/moves", MakeMove)
            .Contract("makeMove", "Make a move on the version I decided on", 200, 201, 404, 409, 412, 422, 428)
            .TakesJson<MoveBody>().Reads(RequestHeader.IfMatch, RequestHeader.IdempotencyKey);
        group.MapGet("/{id:workflowId}/history", History).Contract("getHistory", "A workflow's events in order, a page at a time", 200, 400, 404)
            .QueryWholeNumber("limit", 1, MaxHistoryPageSize);
        group.MapPost("/{id:workflowId}/guest-links/revoke", RevokeGuestLinks)
            .Contract("revokeGuestLinks", "Stop the personal links mailed to the other party (someone outside the organisation)", 200, 404);
        return group;
    }

    /// <param name="Start">
    /// <c>draft</c> (the default): the opener's alone until they request or offer. <c>requested</c>: a customer requests at
    /// once; a performer records the request the customer made (in the <c>source</c> mail). <c>promised</c>: a performer
    /// records the request and promises; a customer records a promise made to them. Other than draft, conditions and dueBy
    /// are required.
    /// </param>
    /// <param name="ReplyBy">Only with <c>start</c> <c>requested</c>: the performer's time to answer (default in 2 days).</param>
    public sealed record OpenBody(
        string Concern,
        string Customer,
        string Performer,
        string? Conditions = null,
        DateTimeOffset? DueBy = null,
        SourceBody? Source = null,
        Start Start = Start.Draft,
        DateTimeOffset? ReplyBy = null) : IRequestBody
    {
        public static ValueTask<OpenBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<OpenBody>(context);

        public string? Problem() =>
            Source is { } source && ItemKeys.Problem(source.Key) is { } sourceProblem ? sourceProblem
            : Source?.Subject is { Length: > ItemKeys.MaxSubjectLength } ? $"source.subject is at most {ItemKeys.MaxSubjectLength} characters."
            : !IsPartyName(Customer) || !IsPartyName(Performer) ? "customer and performer must each be an email address or \"me\"."
            : !Enum.IsDefined(Start) ? "start must be one of draft, requested, promised."
            : Dates.Problem(("dueBy", DueBy), ("replyBy", ReplyBy));

        private static bool IsPartyName(string who) =>
            string.Equals(who, OpenRequest.Me, StringComparison.OrdinalIgnoreCase)
            || (who.Length is > 2 and <= 254 && System.Net.Mail.MailAddress.TryCreate(who, out var address) && address.Address == who.Trim());
    }

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
        string? Text = null,
        string? Meeting = null,
        DateOnly? On = null,
        int? CheckInEveryDays = null,
        bool? Objective = null,
        bool? Shared = null,
        FeedbackAnswers? Answers = null,
        string? OpenChildren = null) : IRequestBody
    {
        public static ValueTask<MoveBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<MoveBody>(context);

        public string? Problem() =>
            !Moves.TryParse(Move, out _)
                ? $"'{Move}' is not a move. Moves: {string.Join(", ", Enum.GetValues<Move>().Select(WorkflowDecider.Name))}."
                : Dates.Problem(("dueBy", DueBy), ("replyBy", ReplyBy), ("assessBy", AssessBy))
                    ?? (Meeting is { } meeting ? MeetingKeys.Problem(meeting) : null)
                    ?? (On is not null && Meeting is null ? "on is the date of the meeting the move is made in: it needs meeting." : null)
                    ?? MeetingKeys.DateProblem(On)
                    ?? (OpenChildren is null or CloseChildren or KeepChildren ? null : "openChildren must be \"close\" or \"keep\".")
                    ?? (Answers is { } answers && !AnswersAreNamed(answers) ? "each answer is yes, partly or no." : null);

        public const string CloseChildren = "close";
        public const string KeepChildren = "keep";

        private static bool AnswersAreNamed(FeedbackAnswers a) =>
            new[] { a.ResultMet, a.KeptInformed, a.ConcernClear, a.ConditionsNegotiable, a.CheckInsHelped }.All(x => x is null || Enum.IsDefined(x.Value));

        public MakeMove Command()
        {
            if (!Moves.TryParse(Move, out var move))
            {
                throw new InvalidOperationException("Command() of a body that failed Problem().");
            }
            return new MakeMove(move, new MoveDetails
            {
                Conditions = Conditions,
                DueBy = DueBy?.ToUniversalTime(),
                ReplyBy = ReplyBy?.ToUniversalTime(),
                AssessBy = AssessBy?.ToUniversalTime(),
                Text = Text,
                Meeting = Meeting is { } meeting ? new MeetingRef(meeting, On) : null,
                CheckInEveryDays = CheckInEveryDays,
                Objective = Objective,
                Shared = Shared,
                Answers = Answers,
            });
        }
    }

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> Open(
        OpenBody body, IdempotencyKey? key, [FromServices] Caller caller, HttpContext context, WorkflowService workflows,
        IDirectory directory, TimeProvider time)
    {
        // The opener's own party is written with the name the directory has for them.
        var named = await caller.WithDirectoryNameAsync(directory, context.RequestAborted);
        var request = new OpenRequest(body.Concern, body.Customer, body.Performer, body.Conditions, body.DueBy?.ToUniversalTime(),
            body.Source is { } s ? new SourceItem(s.Key, s.Kind, s.Subject) : null, body.Start, body.ReplyBy?.ToUniversalTime());
        return Answer(context, await workflows.OpenAsync(named, request, key?.Value, Requests.Hash(key, "open", body), context.RequestAborted), time);
    }

    private static async Task<Results<Ok<ListPageView>, ProblemHttpResult>> List(
        [FromServices] Caller caller, HttpContext context, IWorkflowIndex index, IFollowUps followUps, TimeProvider time,
        string? view, string? quadrant, DateTimeOffset? dueBefore, string? cursor)
    {
        if (!TryParseView(view, out var parsedView))
        {
            return Problems.Invalid("view must be one of iOwe, owedToMe, myMove, all.");
        }
        Quadrant? parsedQuadrant = null;
        if (quadrant is not null)
        {
            if (!Quadrants.TryParse(quadrant, out var q))
            {
                return Problems.Invalid("quadrant must be one of Q1, Q2, Q3, Q4, closed.");
            }
            parsedQuadrant = q;
        }
        if (cursor is { Length: > 2048 })
        {
            return Problems.Invalid("cursor is not valid.");
        }
        if (Dates.Problem(("dueBefore", dueBefore)) is { } dateProblem)
        {
            return Problems.Invalid(dateProblem);
        }
        await followUps.WaitForUserAsync(caller.Id, context.RequestAborted);
        ListPage page;
        try
        {
            page = await index.ListAsync(caller.Id, new ListQuery(parsedView, parsedQuadrant, dueBefore?.ToUniversalTime(), cursor), context.RequestAborted);
        }
        catch (FormatException)
        {
            return Problems.Invalid("cursor is not valid: pass back the 'next' value of the previous page unchanged.");
        }
        var now = time.GetUtcNow();
        return TypedResults.Ok(new ListPageView([.. page.Items.Select(s => SummaryView.Of(s, now))], page.NextCursor));
    }

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> Get(
        string id, [FromServices] Caller caller, HttpContext context, WorkflowService workflows, TimeProvider time) =>
        Answer(context, await workflows.GetAsync(caller, id, context.RequestAborted), time);

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> MakeMove(
        string id, MoveBody body, IdempotencyKey? key, IfMatch ifMatch, [FromServices] Caller caller, HttpContext context,
        WorkflowService workflows, ChildrenService children, IFollowUps followUps, TimeProvider time)
    {
        var command = body.Command();
        // Nothing is closed silently: closing a promise under which the caller holds open children asks what becomes of them.
        if (body.OpenChildren is null && PerformerCanClose(command.Move))
        {
            if (await children.OpenHeldByAsync(caller.Id, id, context.RequestAborted) is { Count: > 0 } held)
            {
                return Problems.OpenChildren(held);
            }
        }
        var outcome = await workflows.MoveAsync(caller, id, ifMatch.Version, command, key?.Value, Requests.Hash(key, id, body), context.RequestAborted);
        if (outcome is Outcome.Done { State.IsClosed: true } && body.OpenChildren == MoveBody.CloseChildren)
        {
            await children.CloseOpenChildrenAsync(caller, id, context.RequestAborted);
        }
        if (outcome is Outcome.Done { State.RepeatedAs: { } newId } && command.Move == Move.Repeat)
        {
            // The new cycle is the repeat's follow-up: answered with it once it stands (it is usually there at once).
            await followUps.WaitForWorkflowAsync(id, context.RequestAborted);
            if (await workflows.GetAsync(caller, newId, context.RequestAborted) is Outcome.Done created)
            {
                return Answer(context, created with { Created = true }, time);
            }
        }
        return Answer(context, outcome, time);
    }

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> RevokeGuestLinks(
        string id, [FromServices] Caller caller, HttpContext context, WorkflowService workflows, TimeProvider time) =>
        Answer(context, await workflows.RevokeGuestLinksAsync(caller, id, context.RequestAborted), time);

    public const int HistoryPageSize = 100;
    public const int MaxHistoryPageSize = 200;

    private static async Task<Results<Ok<HistoryPageView>, ProblemHttpResult>> History(
        string id, [FromServices] Caller caller, HttpContext context, WorkflowService workflows, string? cursor = null, string? limit = null)
    {
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
        if (await workflows.HistoryAsync(caller, id, after, size, context.RequestAborted) is not { } page)
        {
            return Problems.NotFound();
        }
        // The actors are named as the parties stand now (a party bound later is named in their early events too), except
        // a cycle's performers before its role was handed over, named as they were.
        var entries = page.Events
            .Where(e => page.State.ShowsEventTo(page.CallerRole, e.Version, e.Event))
            .Select(e => new HistoryEntryView(
                e.Version,
                EventNames.ApiName(e.Event),
                e.Event.By,
                page.State.PartyAt(e.Event.By, e.Version).Shown(),
                e.Event.At,
                Forgetting.Shown(page.State, e.Event),
                e.Via?.Channel))
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
                return Problems.Refused(refused.Rejection, refused.State, refused.By ?? refused.State.RoleOf(CallerIdentity.UserOf(context)!)!.Value, time.GetUtcNow());
            case Outcome.Stale stale:
                context.Response.Headers.ETag = ETags.Of(stale.Current.Version);
                return Problems.Stale(stale.Current);
            case Outcome.KeyReused:
                return Problems.KeyReused();
            case Outcome.Limited limited:
                var seconds = Math.Max(1, (long)Math.Ceiling(limited.RetryAfter.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problems.Limited(limited.Message);
            default:
                return Problems.Busy();
        }
    }

    /// <summary>
    /// Whether the performer can close a workflow with <paramref name="move"/> in some state (renege, decline, withdraw):
    /// only the performer opens children, so only their closing moves can leave children of theirs open. The customer's
    /// own closing moves (cancel, satisfied) read no children.
    /// </summary>
    private static bool PerformerCanClose(Move move) => PerformerClosingMoves.Contains(move);

    private static readonly HashSet<Move> PerformerClosingMoves =
    [
        .. TransitionTable.Rows
            .Where(row => row.To is { } to && WorkflowState.QuadrantOf(to) == Quadrant.Closed && row.Who is Mover.Performer or Mover.Opener or Mover.EitherParty)
            .Select(row => row.Move),
    ];

    private static bool TryParseView(string? view, out ListView parsed)
    {
        parsed = view switch
        {
            null or "all" => ListView.All,
            "iOwe" => ListView.IOwe,
            "owedToMe" => ListView.OwedToMe,
            "myMove" => ListView.MyMove,
            _ => (ListView)(-1),
        };
        return Enum.IsDefined(parsed);
    }
}
