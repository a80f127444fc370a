using System.Security.Cryptography;
using Workflow.Domain;

namespace Workflow.Application;

/// <summary>
/// What a personal link lets its holder do: act as one party (<see cref="Role"/>) of one workflow, until it expires
/// or the other party revokes the links to that party.
/// </summary>
public sealed record GuestGrant(string WorkflowId, PartyRole Role, string Email, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Personal links for parties outside the organisation: a single-workflow, single-party capability. The token is 256
/// random bits, handed out once (in the mail) and stored only as its SHA-256, so the store cannot hand it out again.
/// </summary>
public interface IGuestLinks
{
    /// <summary>Issues a new token for the party; returns the token itself (to be put in one mail, never stored).</summary>
    Task<string> IssueAsync(GuestGrant grant, CancellationToken cancellationToken);

    /// <summary>What the token grants, or null when no such token was issued.</summary>
    Task<GuestGrant?> FindAsync(string token, CancellationToken cancellationToken);
}

public static class GuestTokens
{
    /// <summary>43 characters of base64url: what a token looks like. Anything else is not looked up.</summary>
    public const int Length = 43;

    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static bool LooksValid(string? token) =>
        token is { Length: Length } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The only form in which a token is stored.</summary>
    public static string Hash(string token) => Hashing.Sha256Hex("guest-link\n" + token);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
