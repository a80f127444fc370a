using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Api.Hosting;
using Workflow.Application;
using Workflow.Api.Features.Workflows;
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
        group.MapDelete("/{workflowId:workflowId}", Unlink).Contract("unlinkItem", "Unlink a thread or meeting from a workflow", 200, 400, 404, 409);
        return group;
    }

    public sealed record LinkBody(string WorkflowId, ItemKind Kind, string? Subject = null) : IRequestBody
    {
        public static ValueTask<LinkBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<LinkBody>(context);

        public string? Problem() =>
            Subject is { Length: > ItemKeys.MaxSubjectLength } ? $"subject is at most {ItemKeys.MaxSubjectLength} characters." : null;
    }

    private static async Task<Results<Ok<SummaryView[]>, ProblemHttpResult>> Linked(
        string key, [FromServices] Caller caller, HttpContext context, IWorkflowIndex index, IFollowUps followUps, TimeProvider time)
    {
        key = ItemKeys.FromRoute(key);
        if (ItemKeys.Problem(key) is { } problem)
        {
            return Problems.Invalid(problem);
        }
        await followUps.WaitForUserAsync(caller.Id, context.RequestAborted);
        var linked = await index.LinkedToAsync(key, caller.Id, context.RequestAborted);
        var now = time.GetUtcNow();
        return TypedResults.Ok(linked.Select(s => SummaryView.Of(s, now)).ToArray());
    }

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> Link(
        string key, LinkBody body, [FromServices] Caller caller, HttpContext context, WorkflowService workflows, TimeProvider time)
    {
        key = ItemKeys.FromRoute(key);
        if (ItemKeys.Problem(key) is { } keyProblem)
        {
            return Problems.Invalid(keyProblem);
        }
        if (!WorkflowIds.IsValid(body.WorkflowId))
        {
            return Problems.NotFound();
        }
        var outcome = await workflows.LinkAsync(caller, body.WorkflowId, new LinkItem(key, body.Kind, body.Subject), context.RequestAborted);
        return WorkflowEndpoints.Answer(context, outcome, time);
    }

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> Unlink(
        string key, string workflowId, [FromServices] Caller caller, HttpContext context, WorkflowService workflows, TimeProvider time)
    {
        key = ItemKeys.FromRoute(key);
        if (ItemKeys.Problem(key) is { } keyProblem)
        {
            return Problems.Invalid(keyProblem);
        }
        return WorkflowEndpoints.Answer(context, await workflows.UnlinkAsync(caller, workflowId, key, context.RequestAborted), time);
    }
}
