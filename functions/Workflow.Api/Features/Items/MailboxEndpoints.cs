using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Api.Application;
using Workflow.Api.Features.Workflows;
using Workflow.Api.Hosting;
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

    public sealed record ResolvedItem(MailItemContext Item, string Key, SummaryView[] Workflows);

    public sealed record TagBody(string WorkflowId);

    private static async Task<Results<Ok<ResolvedItem>, ProblemHttpResult>> Resolve(
        string kind, string itemId, HttpContext context, IMailbox mailbox, IWorkflowIndex index, IIndexUpdates updates, TimeProvider time)
    {
        if (Parse(kind, itemId) is not { } item)
        {
            return Problems.Invalid("kind is message or event, and itemId an Outlook item id.");
        }
        if (!mailbox.IsAvailable)
        {
            return Unavailable();
        }
        var user = CallerIdentity.UserOf(context.User)!;
        var resolved = await mailbox.GetAsync(user, item.Kind, item.Id, context.RequestAborted);
        if (resolved is null)
        {
            return Problems.Problem(404, "item-not-found", "No such item in your mailbox.", "The item may have been moved or deleted.");
        }
        await updates.WaitForUserAsync(user, context.RequestAborted);
        var linked = await index.LinkedToAsync(resolved.Key, user, context.RequestAborted);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new ResolvedItem(resolved, resolved.Key, [.. linked.Select(s => SummaryView.Of(s, now))]));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Tag(
        string kind, string itemId, HttpContext context, IMailbox mailbox, WorkflowService workflows)
    {
        if (Parse(kind, itemId) is not { } item)
        {
            return Problems.Invalid("kind is message or event, and itemId an Outlook item id.");
        }
        if (!mailbox.IsAvailable)
        {
            return Unavailable();
        }
        var (body, problem) = await JsonBody.ReadAsync<TagBody>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (!Requests.IsWorkflowId(body!.WorkflowId))
        {
            return Problems.NotFound();
        }
        var caller = CallerIdentity.FromToken(context.User);
        if (await workflows.GetAsync(caller!, body.WorkflowId, context.RequestAborted) is not Outcome.Done done)
        {
            return Problems.NotFound();
        }
        await mailbox.TagAsync(caller!.Id, item.Kind, item.Id, done.State.Id, done.State.Quadrant, context.RequestAborted);
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

/// <summary>Where there is no mailbox to reach (local development, or Graph not configured): nothing is found or changed.</summary>
public sealed class NoMailbox : IMailbox
{
    public bool IsAvailable => false;

    public Task<MailItemContext?> GetAsync(UserId mailbox, ItemKind kind, string itemId, CancellationToken cancellationToken) =>
        Task.FromResult<MailItemContext?>(null);

    public Task TagAsync(UserId mailbox, ItemKind kind, string itemId, string workflowId, Quadrant quadrant, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public Task<IReadOnlyList<string>> FindTaggedAsync(UserId mailbox, ItemKind kind, string workflowId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public Task<IReadOnlyList<CalendarSlot>> CalendarAsync(UserId mailbox, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CalendarSlot>>([]);
}
