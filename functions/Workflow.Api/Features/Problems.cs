using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Domain;

namespace Workflow.Api.Features;

/// <summary>Every error the API gives, as RFC 9457 problem details, in one place.</summary>
public static class Problems
{
    private const string TypeBase = "https://workflow.dev/problems/";

    public static ProblemHttpResult Invalid(string detail) =>
        Problem(400, "invalid-request", "The request is not valid.", detail);

    public static ProblemHttpResult NotFound() =>
        Problem(404, "not-found", "Not found.", "There is no such workflow, or you are not one of its parties.");

    public static ProblemHttpResult GroupNotFound() =>
        Problem(404, "not-found", "Not found.", "There is no such directory group in your organisation, or you are not in it.");

    public static ProblemHttpResult RoleNotFound() =>
        Problem(404, "not-found", "Not found.", "There is no such role, or you neither hold it, held it, nor are offered a cycle of it.");

    /// <summary>Someone who may see it, asking what only another may do (a role's holder, the person offered a cycle).</summary>
    public static ProblemHttpResult NotYours(string detail) =>
        Problem(403, "not-yours", "That is someone else's to do.", detail);

    public static ProblemHttpResult Refused(Rejection rejection, WorkflowState state, PartyRole role, DateTimeOffset now) =>
        Problem(409, rejection.Kind == RejectionKind.NotYourMove ? "not-your-move" : "move-not-allowed",
            rejection.Kind == RejectionKind.NotYourMove ? "That move is the other party's." : "That move is not possible now.",
            rejection.Message,
            new Dictionary<string, object?>
            {
                ["state"] = WorkflowDecider.Name(state.Status),
                ["party"] = WorkflowDecider.Name(role),
                ["availableMoves"] = TransitionTable.AvailableMoves(state, role, now).Select(WorkflowDecider.Name).ToArray(),
            });

    /// <summary>A closing move on a promise under which the caller still holds open children: they must say what becomes of them.</summary>
    public static ProblemHttpResult OpenChildren(IReadOnlyList<ChildLine> open) =>
        Problem(409, "open-children", "This promise has open sub-commitments.",
            $"You hold {open.Count} open workflow(s) opened under it. Say what becomes of them: send openChildren \"close\" to close "
            + "each with it (withdrawn, declined or cancelled, as its state allows; both parties are told), or \"keep\" to keep them open.",
            new Dictionary<string, object?>
            {
                ["openChildren"] = open.Select(line => new Dictionary<string, object?>
                {
                    ["id"] = line.Id,
                    ["relation"] = WorkflowDecider.Name(line.Relation),
                    ["concern"] = line.Concern,
                    ["state"] = WorkflowDecider.Name(line.Status),
                }).ToArray(),
            });

    public static ProblemHttpResult Stale(WorkflowState current) =>
        Problem(412, "stale-version", "The workflow has changed since you loaded it.",
            $"It is now at version {current.Version} ({WorkflowDecider.Name(current.Status)}). Reload it and decide again.",
            new Dictionary<string, object?> { ["currentVersion"] = current.Version, ["currentETag"] = ETags.Of(current.Version) });

    public static ProblemHttpResult PreconditionRequired() =>
        Problem(428, "if-match-required", "If-Match is required.",
            "Send the ETag of the version you decided on in If-Match, so a move never lands on a workflow you have not seen.");

    public static ProblemHttpResult KeyReused() =>
        Problem(422, "idempotency-key-reused", "This Idempotency-Key was used for a different request.",
            "Use a new key for a new request; reuse a key only to retry exactly the same request.");

    /// <summary>Over a limit on what one person may do in a day; <c>Retry-After</c> says when it resets.</summary>
    public static ProblemHttpResult Limited(string detail) =>
        Problem(429, "too-many-opens", "Too many workflows opened towards one person today.", detail);

    public static ProblemHttpResult Busy() =>
        Problem(409, "busy", "The workflow kept changing.", "Other changes kept landing first. Reload and try again.");

    public static ProblemHttpResult UnsupportedMediaType() =>
        Problem(415, "unsupported-media-type", "Send JSON.", "The body must be application/json.");

    public static ProblemHttpResult TooLarge(int limit) =>
        Problem(413, "too-large", "The body is too large.", $"Bodies are at most {limit / 1024} KiB.");

    public static ProblemHttpResult Problem(
        int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: TypeBase + type, extensions: extensions);
}

public static class ETags
{
    public static string Of(int version) => $"\"{version}\"";

    /// <summary>
    /// Parses If-Match into the version a move was decided on. Only one strong ETag is accepted: "*" or a list would
    /// let a move land on a version its sender never saw. Null if unusable.
    /// </summary>
    public static int? ParseIfMatch(string header)
    {
        var tags = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (tags.Length != 1)
        {
            return null; // One version decides a move; a list would make the precondition ambiguous.
        }
        var tag = tags[0];
        return tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
            && int.TryParse(tag.AsSpan(1, tag.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            && version > 0
                ? version
                : null;
    }
}
