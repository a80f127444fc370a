using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Api.Identity;
using Workflow.Application;
using Workflow.Domain;
using static Workflow.Api.Hosting.OpenApiContract;

namespace Workflow.Api.Features.Workflows;

/// <summary>The dual, delegation and the objective tree: workflows opened under others, and what each party sees of them.</summary>
public static class ChildEndpoints
{
    // Routes
    //   POST /api/workflows/{id}/children         open a child under it, as its performer: the dual ("to do this I need from
    //                                             you: …", the customer performs) or a delegation to someone you name;
    //                                             Idempotency-Key optional
    //   GET  /api/workflows/{id}/children         its children as I may see them, their risk, and the earliest risk of all
    //   POST /api/workflows/{id}/children/close   close the open children I hold under it (it closed and I kept them)
    //   GET  /api/workflows/{id}/tree             the tree it belongs to, from the top objective down, folded for me

    public static RouteGroupBuilder MapChildren(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workflows/{id:workflowId}").RequireAuthorization(Authentication.UserPolicy).WithTags("Workflows");
        group.MapPost("/children", Open)
            .Contract("openChild", "Open the dual or a delegation under a promise I perform", 201, 404, 409, 422, 429)
            .TakesJson<ChildBody>().Reads(RequestHeader.IdempotencyKey);
        group.MapGet("/children", List).Contract("listChildren", "A workflow's duals and delegations, as I may see them", 200, 404);
        group.MapPost("/children/close", Close).Contract("closeChildren", "Close the open children I hold under a workflow", 200, 404);
        group.MapGet("/tree", Tree).Contract("getTree", "The objective tree a workflow belongs to, folded for me", 200, 404);
        return group;
    }

    /// <param name="Relation"><c>dual</c>: what you need from the customer, who performs it. <c>delegated</c>: part of the promise, to <c>performer</c>.</param>
    /// <param name="Performer">Only for <c>delegated</c>: the email of whom you delegate to.</param>
    /// <param name="Start"><c>draft</c> (yours until you request), or <c>requested</c> at once (the default: you are asking now).</param>
    public sealed record ChildBody(
        string Relation,
        string Concern,
        string? Performer = null,
        string? Conditions = null,
        DateTimeOffset? DueBy = null,
        Start Start = Start.Requested,
        DateTimeOffset? ReplyBy = null) : IRequestBody
    {
        public static ValueTask<ChildBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<ChildBody>(context);

        public string? Problem() =>
            !TryRelation(Relation, out var relation) ? "relation must be dual or delegated."
            : relation == ChildRelation.Dual && Performer is not null ? "A dual's performer is the customer of the workflow it is opened under: leave performer out."
            : relation == ChildRelation.Delegated && !IsEmail(Performer) ? "performer is required for a delegation: the email address of whom you delegate to."
            : Start is not (Start.Draft or Start.Requested) ? "start must be draft or requested: you are the customer of what you open under your promise."
            : Dates.Problem(("dueBy", DueBy), ("replyBy", ReplyBy));

        /// <summary>The relation as the domain names it (a method: a property would be part of the body's contract).</summary>
        public ChildRelation ParsedRelation() => TryRelation(Relation, out var relation) ? relation
            : throw new InvalidOperationException("ParsedRelation of a body that failed Problem().");

        /// <summary>Exactly the API's spelling: "dual" or "delegated".</summary>
        private static bool TryRelation(string text, out ChildRelation relation)
        {
            relation = text == "dual" ? ChildRelation.Dual : ChildRelation.Delegated;
            return text is "dual" or "delegated";
        }

        private static bool IsEmail(string? who) =>
            who is { Length: > 2 and <= 254 } && System.Net.Mail.MailAddress.TryCreate(who, out var address) && address.Address == who.Trim();
    }

    public sealed record RiskView(RiskKind Kind, DateTimeOffset Since)
    {
        public static RiskView? Of(Risk? risk) => risk is null ? null : new(risk.Kind, risk.Since);
    }

    /// <param name="YourRole">Your role in it; null when its customer shared it with you as the customer of the promise it serves.</param>
    public sealed record ChildView(
        string Id, ChildRelation Relation, string Concern, WorkflowStatus State, string StateLabel, Quadrant Quadrant,
        PartyView Customer, PartyView Performer, PartyRole? YourRole, ClocksView Clocks, RiskView? Risk, bool Shared);

    /// <param name="Others">Children you may not see, counted: delegations the performer has not shared with you.</param>
    /// <param name="AtRisk">The earliest risk among every child you may know of (shown or counted).</param>
    /// <param name="OpenAfterClose">The workflow is closed and you still hold this many open children under it.</param>
    public sealed record ChildrenView(
        string ParentId, ChildView[] Children, int Others, int OthersAtRisk, RiskView? AtRisk, int OpenAfterClose, ChildRelation[] YouMayOpen);

    /// <summary>
    /// One node of the tree. A node you are a party of (or one shared with you) shows its content; one you are not shows only
    /// that it is there (no id, concern or parties), and only when something of yours hangs beneath it. <see cref="HiddenBelow"/>
    /// counts what is folded away under it, <see cref="RolledUp"/> the earliest risk anywhere beneath it, hidden nodes included.
    /// </summary>
    public sealed record TreeNodeView(
        bool Visible, string? Id, string? Concern, WorkflowStatus? State, string? StateLabel, Quadrant? Quadrant, ChildRelation? Relation,
        string? Customer, string? Performer, PartyRole? YourRole, ClocksView? Clocks, bool Objective, RiskView? Risk, RiskView? RolledUp,
        TreeNodeView[] Children, int HiddenBelow, int HiddenAtRisk);

    /// <param name="Truncated">The tree is deeper or wider than one view reads; what lies beyond is not shown.</param>
    public sealed record TreeView(TreeNodeView Root, bool Truncated);

    private static async Task<Results<Created<WorkflowView>, Ok<WorkflowView>, ProblemHttpResult>> Open(
        string id, ChildBody body, IdempotencyKey? key, [FromServices] Caller caller, HttpContext context, WorkflowService workflows,
        IDirectory directory, TimeProvider time)
    {
        var named = await caller.WithDirectoryNameAsync(directory, context.RequestAborted);
        var request = new OpenRequest(body.Concern, OpenRequest.Me, body.Performer ?? "", body.Conditions, body.DueBy?.ToUniversalTime(),
            null, body.Start, body.ReplyBy?.ToUniversalTime());
        var outcome = await workflows.OpenChildAsync(named, id, body.ParsedRelation(), request, key?.Value, Requests.Hash(key, "child:" + id, body),
            context.RequestAborted);
        return WorkflowEndpoints.Answer(context, outcome, time);
    }

    private static async Task<Results<Ok<ChildrenView>, ProblemHttpResult>> List(
        string id, [FromServices] Caller caller, HttpContext context, ChildrenService children, TimeProvider time)
    {
        return await children.SeenAsync(caller, id, context.RequestAborted) is { } seen
            ? TypedResults.Ok(View(seen.Parent, seen.Role, seen.Seen, time.GetUtcNow()))
            : Problems.NotFound();
    }

    private static async Task<Results<Ok<ChildrenView>, ProblemHttpResult>> Close(
        string id, [FromServices] Caller caller, HttpContext context, ChildrenService children, TimeProvider time)
    {
        if (await children.CloseOpenChildrenAsync(caller, id, context.RequestAborted) is null)
        {
            return Problems.NotFound();
        }
        return await children.SeenAsync(caller, id, context.RequestAborted) is { } seen
            ? TypedResults.Ok(View(seen.Parent, seen.Role, seen.Seen, time.GetUtcNow()))
            : Problems.NotFound();
    }

    private static async Task<Results<Ok<TreeView>, ProblemHttpResult>> Tree(
        string id, [FromServices] Caller caller, HttpContext context, ChildrenService children, TimeProvider time)
    {
        if (await children.TreeAsync(caller, id, context.RequestAborted) is not { } tree)
        {
            return Problems.NotFound();
        }
        var now = time.GetUtcNow();
        return TypedResults.Ok(new TreeView(NodeView(tree.Root, now, isTop: true), tree.Truncated));
    }

    private static ChildrenView View(WorkflowState parent, PartyRole role, ChildrenSeen seen, DateTimeOffset now) => new(
        parent.Id,
        [.. seen.Shown.Select(s => new ChildView(
            s.Line.Id, s.Line.Relation, s.Line.Concern, s.Line.Status, WorkflowView.LabelOf(s.Line.Status), s.Line.Quadrant,
            PartyView.Of(s.Line.Customer), PartyView.Of(s.Line.Performer), s.YourRole, ClocksView.Of(s.Line.Clocks, now),
            RiskView.Of(s.Risk), s.Line.Shared))],
        seen.Others,
        seen.OthersAtRisk,
        RiskView.Of(seen.EarliestRisk),
        seen.OpenAfterClose,
        [.. TransitionTable.AvailableChildren(parent, role)]);

    /// <summary>A node as the API shows it; the top hangs under nothing, so it has no relation.</summary>
    private static TreeNodeView NodeView(TreeNode node, DateTimeOffset now, bool isTop = false) => node.Line is { } line
        ? new TreeNodeView(true, line.Id, line.Concern, line.Status, WorkflowView.LabelOf(line.Status), line.Quadrant,
            isTop ? null : line.Relation, line.Customer.Shown(), line.Performer.Shown(), node.YourRole, ClocksView.Of(line.Clocks, now),
            line.IsObjective, RiskView.Of(node.Risk), RiskView.Of(node.RolledUp), [.. node.Children.Select(c => NodeView(c, now))],
            node.HiddenBelow, node.HiddenAtRisk)
        : new TreeNodeView(false, null, null, null, null, null, null, null, null, null, null, false, null, RiskView.Of(node.RolledUp),
            [.. node.Children.Select(c => NodeView(c, now))], node.HiddenBelow, node.HiddenAtRisk);
}
