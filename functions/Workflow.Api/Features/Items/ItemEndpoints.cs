using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Api.Application;
using Workflow.Api.Features.Workflows;
using Workflow.Api.Hosting;
using Workflow.Api.Identity;
using Workflow.Domain;

namespace Workflow.Api.Features.Items;

public static class ItemEndpoints
{
    // Routes ({key} is the item key, URL-encoded)
    //   GET    /api/items/{key}/workflows                 the workflows linked to this thread or meeting that I am a party of
    //   POST   /api/items/{key}/workflows                 link it to a workflow: { "workflowId", "kind", "subject"? }
    //   DELETE /api/items/{key}/workflows/{workflowId}    unlink it

    public static RouteGroupBuilder MapItems(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/items/{key}/workflows").RequireAuthorization(Authentication.UserPolicy).WithTags("Items");
        group.MapGet("/", Linked).Contract("listLinkedWorkflows", "The workflows linked to a thread or meeting", 200, 400);
        group.MapPost("/", Link).Contract("linkItem", "Link a thread or meeting to a workflow", 200, 404, 409).TakesJson<LinkBody>();
        group.MapDelete("/{workflowId}", Unlink).Contract("unlinkItem", "Unlink a thread or meeting from a workflow", 200, 400, 404, 409);
        return group;
    }

    public sealed record LinkBody(string WorkflowId, ItemKind Kind, string? Subject = null);

    private static async Task<Results<Ok<SummaryView[]>, ProblemHttpResult>> Linked(
        string key, HttpContext context, IWorkflowIndex index, IIndexUpdates queue, TimeProvider time)
    {
        key = ItemKeys.FromRoute(key);
        if (ItemKeys.Problem(key) is { } problem)
        {
            return Problems.Invalid(problem);
        }
        var user = CallerIdentity.UserOf(context.User)!;
        await queue.WaitForUserAsync(user, context.RequestAborted);
        var linked = await index.LinkedToAsync(key, user, context.RequestAborted);
        var now = time.GetUtcNow();
        return TypedResults.Ok(linked.Select(s => SummaryView.Of(s, now)).ToArray());
    }

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> Link(
        string key, HttpContext context, WorkflowService workflows, TimeProvider time)
    {
        key = ItemKeys.FromRoute(key);
        if (ItemKeys.Problem(key) is { } keyProblem)
        {
            return Problems.Invalid(keyProblem);
        }
        var (body, problem) = await JsonBody.ReadAsync<LinkBody>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (body!.Subject is { Length: > ItemKeys.MaxSubjectLength })
        {
            return Problems.Invalid($"subject is at most {ItemKeys.MaxSubjectLength} characters.");
        }
        if (!Requests.IsWorkflowId(body.WorkflowId))
        {
            return Problems.NotFound();
        }
        var caller = CallerIdentity.FromToken(context.User);
        var outcome = await workflows.LinkAsync(caller!, body.WorkflowId, new LinkItem(key, body.Kind, body.Subject), context.RequestAborted);
        return WorkflowEndpoints.Answer(context, outcome, time);
    }

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> Unlink(
        string key, string workflowId, HttpContext context, WorkflowService workflows, TimeProvider time)
    {
        key = ItemKeys.FromRoute(key);
        if (ItemKeys.Problem(key) is { } keyProblem)
        {
            return Problems.Invalid(keyProblem);
        }
        if (!Requests.IsWorkflowId(workflowId))
        {
            return Problems.NotFound();
        }
        var caller = CallerIdentity.FromToken(context.User);
        return WorkflowEndpoints.Answer(context, await workflows.UnlinkAsync(caller!, workflowId, key, context.RequestAborted), time);
    }
}
