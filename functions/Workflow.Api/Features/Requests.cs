using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Features;

/// <summary>
/// A request the binders refused: its body, a header. Thrown while binding (as the framework's own
/// BadHttpRequestException is), answered by <see cref="Hosting.ErrorHandling"/> with <see cref="Problem"/>, so a
/// handler only ever sees a request that passed every check.
/// </summary>
public sealed class RequestProblemException(ProblemHttpResult problem) : Exception(problem.ProblemDetails.Detail)
{
    public ProblemHttpResult Problem { get; } = problem;
}

/// <summary>A request body that checks its own fields once read: null when it is valid, else what is wrong.</summary>
public interface IRequestBody
{
    string? Problem();
}

/// <summary>The optional Idempotency-Key header, bound as a handler parameter (null when absent).</summary>
public sealed record IdempotencyKey(string Value)
{
    public const int MaxLength = 200;

    public static ValueTask<IdempotencyKey?> BindAsync(HttpContext context)
    {
        var values = context.Request.Headers["Idempotency-Key"];
        if (values.Count == 0)
        {
            return ValueTask.FromResult<IdempotencyKey?>(null);
        }
        var value = values.ToString();
        if (values.Count > 1 || value.Length is 0 or > MaxLength || value.Any(c => c < 0x21 || c > 0x7e))
        {
            throw new RequestProblemException(Problems.Invalid($"Idempotency-Key must be one value of 1 to {MaxLength} visible ASCII characters."));
        }
        return ValueTask.FromResult<IdempotencyKey?>(new IdempotencyKey(value));
    }
}

/// <summary>The If-Match header of a move: the one version it was decided on. Required.</summary>
public sealed record IfMatch(int Version)
{
    public static ValueTask<IfMatch?> BindAsync(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch.ToString();
        if (header.Length == 0)
        {
            throw new RequestProblemException(Problems.PreconditionRequired());
        }
        return ETags.ParseIfMatch(header) is { } version
            ? ValueTask.FromResult<IfMatch?>(new IfMatch(version))
            : throw new RequestProblemException(Problems.Invalid("If-Match must be the one ETag of the version you decided on, as returned by the API, such as \"3\"."));
    }
}

/// <summary>The <c>{id:workflowId}</c> route constraint: anything but a workflow id matches no route, so it is not found.</summary>
public sealed class WorkflowIdConstraint : IRouteConstraint
{
    public const string Name = "workflowId";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && value is string id && WorkflowIds.IsValid(id);
}

public static class Requests
{
    /// <summary>
    /// A fingerprint of what a request asks for, so a reused idempotency key with another body is caught. Only a request
    /// with a key is ever compared: without one it is not made (it serialises the body again and hashes it).
    /// </summary>
    public static string Hash<T>(IdempotencyKey? key, string target, T body) =>
        key is null ? "" : Hashing.Sha256Hex(target + "\n" + JsonSerializer.Serialize(body, JsonBody.Info<T>()));
}

public static class Moves
{
    private static readonly Dictionary<string, Move> ByName =
        Enum.GetValues<Move>().ToDictionary(WorkflowDecider.Name, StringComparer.Ordinal);

    /// <summary>Moves are named exactly as in the model (camelCase); nothing else is accepted.</summary>
    public static bool TryParse(string name, out Move move) => ByName.TryGetValue(name, out move);
}

/// <summary>
/// Item keys name a mail thread or meeting across mailboxes, e.g. <c>thread:&lt;conversationId&gt;</c> or
/// <c>event:&lt;iCalUId&gt;</c>. Any printable text without spaces, bounded in length.
/// </summary>
public static class ItemKeys
{
    public const int MaxLength = 512;
    public const int MaxSubjectLength = 500;

    /// <summary>
    /// A route segment as the client meant it. The server decodes every escape in the path except %2F (so routing
    /// is not fooled by an encoded slash); Exchange ids and thread keys contain '/', so that one is decoded here.
    /// </summary>
    public static string FromRoute(string segment) => segment.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    public static string? Problem(string key) =>
        key.Length is 0 or > MaxLength || key.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || !key.Contains(':', StringComparison.Ordinal)
            ? $"An item key is 1 to {MaxLength} characters without spaces, as kind:id (for example thread:AAQkAD…)."
            : null;
}

/// <summary>
/// Meeting keys: item keys of a meeting (<c>event:…</c>), the same for every attendee. The date of an occurrence is
/// within the years the API accepts.
/// </summary>
public static class MeetingKeys
{
    public static string? Problem(string key) =>
        ItemKeys.Problem(key) ?? (key.StartsWith("event:", StringComparison.Ordinal)
            ? null
            : "A meeting key is a meeting's item key, event:… (for example event:teams:19:meeting_…@thread.v2).");

    public static string? DateProblem(DateOnly? on) =>
        on is { Year: < 2000 or > 2999 } ? "on must be a date between 2000 and 2999." : null;
}

/// <summary>Dates the API accepts: this millennium, and representable in UTC and in Table Storage.</summary>
public static class Dates
{
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string? Problem(params (string Name, DateTimeOffset? Value)[] dates) =>
        dates.FirstOrDefault(d => d.Value is { } v && (v < Earliest || v >= Latest)) is { Name: { } name }
            ? $"{name} must be a date between 2000 and 2999."
            : null;
}
