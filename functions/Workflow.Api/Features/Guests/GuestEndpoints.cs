using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Api.Features.Workflows;
using Workflow.Application;
using static Workflow.Api.Hosting.OpenApiContract;

namespace Workflow.Api.Features.Guests;

/// <summary>
/// Someone outside the organisation takes part through the personal link a mail gave them: the web app reads the
/// token from the link's fragment (never sent to any server by the browser) and sends it in the
/// <see cref="GuestToken.Header"/> header. The token grants one party of one workflow: seeing it and making that
/// party's own moves, nothing else. Unknown, expired, revoked, or for a party since bound to an account: refused, and
/// nothing is changed.
/// </summary>
public static class GuestEndpoints
{
    // Routes
    //   GET  /api/guest/workflow         the workflow the link is for, as its party sees it
    //   POST /api/guest/workflow/moves   make one of that party's moves: If-Match required, Idempotency-Key optional
    //   GET  /api/guest/mail             whether mail to the link's address is stopped
    //   PUT  /api/guest/mail             { "stopped": true|false } — stop (or restart) mail to that address

    public static RouteGroupBuilder MapGuests(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/guest/workflow").AllowAnonymous().WithTags("Personal links");
        group.MapGet("/", Get).Contract("getGuestWorkflow", "The workflow a personal link is for", 200, 401, 404, 410)
            .Reads(RequestHeader.WorkflowLink);
        var mail = app.MapGroup("/api/guest/mail").AllowAnonymous().WithTags("Personal links");
        mail.MapGet("/", GetMail).Contract("getGuestMail", "Whether mail to a personal link's address is stopped", 200, 401, 404)
            .Reads(RequestHeader.WorkflowLink);
        mail.MapPut("/", SetMail).Contract("setGuestMail", "Stop (or restart) mail to a personal link's address", 204, 400, 401, 404)
            .TakesJson<MailBody>().Reads(RequestHeader.WorkflowLink);
        group.MapPost("/moves", MakeMove).Contract("makeGuestMove", "Make a move through a personal link", 200, 401, 404, 409, 410, 412, 422, 428)
            .TakesJson<WorkflowEndpoints.MoveBody>().Reads(RequestHeader.WorkflowLink, RequestHeader.IfMatch, RequestHeader.IdempotencyKey);
        return group;
    }

    private static async Task<Results<Ok<WorkflowView>, ProblemHttpResult>> Get(
        GuestToken token, HttpContext context, IGuestLinks links, WorkflowService workflows, TimeProvider time)
    {
        if (await GrantAsync(token, links, time, context.RequestAborted) is not { } grant)
        {
            return Expired();
        }
        // Reading never creates: the answer is the workflow or a problem.
        return Answer(context, await workflows.GetAsGuestAsync(grant, context.RequestAborted), time).Result switch
        {
            Ok<WorkflowView> ok => ok,
            ProblemHttpResult problem => problem,
            var other => throw new InvalidOperationException($"A guest read answered {other.GetType().Name}."),
        };
    }

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> MakeMove(
        GuestToken token, WorkflowEndpoints.MoveBody body, IdempotencyKey? key, IfMatch ifMatch, HttpContext context,
        IGuestLinks links, WorkflowService workflows, TimeProvider time)
    {
        if (await GrantAsync(token, links, time, context.RequestAborted) is not { } grant)
        {
            return Expired();
        }
        if (body.Meeting is not null)
        {
            // A meeting's record is its signed-in attendees'; a link holder has no meeting view to know its key from.
            return Problems.Invalid("A move made through a personal link is not recorded in a meeting: leave out meeting and on.");
        }
        var outcome = await workflows.MoveAsGuestAsync(
            grant, ifMatch.Version, body.Command(), key?.Value, Requests.Hash(key, grant.WorkflowId, body), context.RequestAborted);
        return Answer(context, outcome, time);
    }

    /// <summary>Mail to the address a personal link was sent to: whether it is stopped.</summary>
    public sealed record MailView(string Address, bool Stopped);

    public sealed record MailBody(bool Stopped) : IRequestBody
    {
        public static ValueTask<MailBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<MailBody>(context);

        public string? Problem() => null;
    }

    // Stopping mail works with any link ever mailed to the address, expired or revoked too: no one should have to ask
    // for a new link in order to stop receiving them.
    private static async Task<Ok<MailView>> GetMail(GuestToken token, HttpContext context, IGuestLinks links, INoticeBox box)
    {
        var address = await AddressAsync(token, links, context.RequestAborted);
        return TypedResults.Ok(new MailView(address.Email, await box.IsStoppedAsync(address, context.RequestAborted)));
    }

    private static async Task<NoContent> SetMail(
        GuestToken token, MailBody body, HttpContext context, IGuestLinks links, INoticeBox box, TimeProvider time)
    {
        var address = await AddressAsync(token, links, context.RequestAborted);
        await box.SetStoppedAsync(address, body.Stopped, time.GetUtcNow(), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Addressee> AddressAsync(GuestToken token, IGuestLinks links, CancellationToken ct) =>
        await links.FindAsync(token.Value, ct) is { } grant
            ? new Addressee(null, grant.Email, null)
            : throw new RequestProblemException(NotValid());

    /// <summary>The grant, or null when it has expired; an unknown token is answered 404 at once.</summary>
    private static async Task<GuestGrant?> GrantAsync(GuestToken token, IGuestLinks links, TimeProvider time, CancellationToken ct)
    {
        var grant = await links.FindAsync(token.Value, ct) ?? throw new RequestProblemException(NotValid());
        return grant.ExpiresAt > time.GetUtcNow() ? grant : null;
    }

    /// <summary>
    /// As a signed-in party is answered, except that the mail threads and meetings filed under the workflow — items in
    /// the organisation's mailboxes, with their subjects — are not shown through a link.
    /// </summary>
    private static Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult> Answer(HttpContext context, Outcome outcome, TimeProvider time) =>
        outcome switch
        {
            Outcome.NotFound => NoLonger(),
            Outcome.Done done => WorkflowEndpoints.Answer(context, done with { State = done.State with { Links = [] } }, time),
            Outcome.Stale stale => WorkflowEndpoints.Answer(context, stale with { Current = stale.Current with { Links = [] } }, time),
            _ => WorkflowEndpoints.Answer(context, outcome, time),
        };

    private static ProblemHttpResult NotValid() =>
        Problems.Problem(404, "link-not-valid", "This link is not valid.", "Check that the whole link from the mail was opened, or ask the other party to send it again.");

    private static ProblemHttpResult Expired() =>
        Problems.Problem(410, "link-expired", "This link has expired.", "The next mail about this workflow brings a new link; or ask the other party to send one.");

    private static ProblemHttpResult NoLonger() =>
        Problems.Problem(410, "link-revoked", "This link no longer opens the workflow.",
            "The other party revoked it, or the address it was sent to now belongs to an account in the organisation: sign in instead.");
}

/// <summary>The personal link's token, from the <see cref="Header"/> header. Required on the guest routes.</summary>
public sealed record GuestToken(string Value)
{
    public const string Header = "Workflow-Link";

    public static ValueTask<GuestToken?> BindAsync(HttpContext context)
    {
        var values = context.Request.Headers[Header];
        if (values.Count != 1 || !GuestTokens.LooksValid(values.ToString()))
        {
            throw new RequestProblemException(Problems.Problem(401, "link-required", "A personal link is required.",
                $"Open the link from your mail: its token goes in the {Header} header."));
        }
        return ValueTask.FromResult<GuestToken?>(new GuestToken(values.ToString()));
    }
}
