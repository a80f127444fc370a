using Workflow.Domain;

namespace Workflow.Application;

/// <summary>An email to one person.</summary>
public sealed record OutgoingMail(string ToEmail, string? ToName, string Subject, string Html, string DeduplicationId);

/// <summary>Sends mail: from the service mailbox in Azure; into a local outbox folder in development.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>A claim on sending one person's digest for one week.</summary>
public sealed record DigestClaim(string Week, string Person, string Version);

/// <summary>The record of weekly digests: claimed before sending, marked after — exactly one per person per week.</summary>
public interface IDigestLedger
{
    /// <summary>Claims the digest, or null if it was sent or another run holds a claim younger than <paramref name="lease"/>.</summary>
    Task<DigestClaim?> ClaimAsync(string week, UserId user, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    Task MarkSentAsync(DigestClaim claim, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives a claim back after a failed send, so the next run tries again.</summary>
    Task ReleaseAsync(DigestClaim claim, CancellationToken cancellationToken);
}
