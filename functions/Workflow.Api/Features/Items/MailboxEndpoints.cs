using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Api.Hosting;
using Workflow.Application;
using Workflow.Api.Features.Workflows;
using Workflow.Api.Identity;
using Workflow.Domain;

namespace Workflow.Api.Features.Items;

public static class MailboxEndpoints
{
    // Routes ({kind} is message or event; {itemId} the item's REST id from Office.js, URL-encoded)
    //   GET  /api/mailbox/{kind}/{itemId}         the item as the server resolves it (ids, people, times, meeting kind) and its workflows
    //   POST /api/mailbox/{kind}/{itemId}/tag     { "workflowId" } — mark it with the workflow and its quadrant's category

    public static RouteGroupBuilder MapMailbox(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/mailbox/{kind}/{itemId}").RequireAuthorization(Authentication.UserPolicy).WithTags("Mailbox");
        group.MapGet("/", Resolve).Contract("resolveMailItem", "A mail item as the server resolves it, with its workflows", 200, 400, 404);
        group.MapPost("/tag", Tag).Contract("tagMailItem", "Tag a mail item with a workflow and its quadrant's category", 204, 400, 404)
            .TakesJson<TagBody>();
        return group;
    }

    /// <summary>The item, the key it is linked by, and for an occurrence of a recurring meeting its date (what a meeting's record takes as on).</summary>
    public sealed record ResolvedItem(MailItemContext Item, string Key, SummaryView[] Workflows, DateOnly? On = null);

    public sealed record TagBody(string WorkflowId) : IRequestBody
    {
        public static ValueTask<TagBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<TagBody>(context);

        public string? Problem() => null;
    }

    private static async Task<Results<Ok<ResolvedItem>, ProblemHttpResult>> Resolve(
        string kind, string itemId, [FromServices] Caller caller, HttpContext context, IMailbox mailbox, IWorkflowIndex index,
        IMeetingStore meetings, IFollowUps followUps, TimeProvider time)
    {
        if (Parse(kind, itemId) is not { } item)
        {
            return Problems.Invalid("kind is message or event, and itemId an Outlook item id.");
        }
        if (!mailbox.IsAvailable)
        {
            return Unavailable();
        }
        var resolved = await mailbox.GetAsync(caller.Id, item.Kind, item.Id, context.RequestAborted);
        if (resolved is null)
        {
            return Problems.Problem(404, "item-not-found", "No such item in your mailbox.", "The item may have been moved or deleted.");
        }
        if (resolved.Kind == ItemKind.Event)
        {
            // Who is invited, as this attendee's calendar says: the agenda a Teams tab (which is not told) draws between.
            await meetings.RememberAttendeesAsync(resolved.Key, [.. resolved.To, .. resolved.From is { } organizer ? [organizer] : Array.Empty<string>()],
                context.RequestAborted);
        }
        await followUps.WaitForUserAsync(caller.Id, context.RequestAborted);
        var linked = await index.LinkedToAsync(resolved.Key, caller.Id, context.RequestAborted);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new ResolvedItem(resolved, resolved.Key, [.. linked.Select(s => SummaryView.Of(s, now))], resolved.Occurrence));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Tag(
        string kind, string itemId, TagBody body, [FromServices] Caller caller, HttpContext context, IMailbox mailbox, WorkflowService workflows)
    {
        if (Parse(kind, itemId) is not { } item)
        {
            return Problems.Invalid("kind is message or event, and itemId an Outlook item id.");
        }
        if (!mailbox.IsAvailable)
        {
            return Unavailable();
        }
        if (!WorkflowIds.IsValid(body.WorkflowId))
        {
            return Problems.NotFound();
        }
        if (await workflows.GetAsync(caller, body.WorkflowId, context.RequestAborted) is not Outcome.Done done)
        {
            return Problems.NotFound();
        }
        await mailbox.TagAsync(caller.Id, item.Kind, item.Id, done.State.Id, done.State.Quadrant, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Unavailable() =>
        Problems.Problem(404, "mailbox-unavailable", "Mailboxes cannot be reached here.",
            "Microsoft Graph is not configured on this server (as in local development); read the item through Office.js instead.");

    private static (ItemKind Kind, string Id)? Parse(string kind, string itemId)
    {
        ItemKind? parsed = kind switch { "message" => ItemKind.Message, "event" => ItemKind.Event, _ => null };
        var id = ItemKeys.FromRoute(itemId);
        return parsed is { } k && id.Length is > 0 and <= 512 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '=' or '+' or '/')
            ? (k, id)
            : null;
    }
}
