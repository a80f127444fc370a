using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Api.Application;
using Workflow.Domain;

namespace Workflow.Api.Features;

/// <summary>Checks every endpoint shares: ids, idempotency keys, request fingerprints.</summary>
public static class Requests
{
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>Workflow ids are 32 lowercase hex digits; anything else cannot exist, so it is simply not found.</summary>
    public static bool IsWorkflowId(string id) =>
        id.Length == 32 && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>Reads the optional Idempotency-Key header. Returns a problem if it is present but unusable.</summary>
    public static ProblemHttpResult? IdempotencyKey(HttpRequest request, out string? key)
    {
        key = null;
        var values = request.Headers["Idempotency-Key"];
        if (values.Count == 0)
        {
            return null;
        }
        var value = values.ToString();
        if (values.Count > 1 || value.Length is 0 or > MaxIdempotencyKeyLength || value.Any(c => c < 0x21 || c > 0x7e))
        {
            return Problems.Invalid($"Idempotency-Key must be one value of 1 to {MaxIdempotencyKeyLength} visible ASCII characters.");
        }
        key = value;
        return null;
    }

    /// <summary>A fingerprint of what a request asks for, so a reused idempotency key with another body is caught.</summary>
    public static string Hash<T>(string target, T body) =>
        Hashing.Sha256Hex(target + "\n" + JsonSerializer.Serialize(body, JsonBody.Options));
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
