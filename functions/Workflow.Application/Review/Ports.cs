using Workflow.Domain;

namespace Workflow.Application;

/// <summary>
/// An email to one person. <see cref="DeduplicationId"/> names this one mail for ever: it becomes its Message-ID, so
/// the sender can tell whether it already went out. <see cref="Text"/> is the plain-text alternative of
/// <see cref="Html"/> (multipart/alternative). <see cref="ThreadId"/>, when set, names the conversation the mail
/// belongs to (one per workflow and recipient): every mail of it carries it in In-Reply-To and References, so a
/// recipient's mail client shows them as one thread.
/// </summary>
public sealed record OutgoingMail(string ToEmail, string? ToName, string Subject, string Html, string DeduplicationId)
{
    public string? Text { get; init; }

    public string? ThreadId { get; init; }
}

/// <summary>Sends mail: from the service mailbox in Azure; into a local outbox folder in development.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the mail with this deduplication id already went out — asked only after a send may have been cut short
    /// (a crash between sending and recording it), so a retry does not send it twice.
    /// </summary>
    Task<bool> WasSentAsync(string deduplicationId, CancellationToken cancellationToken);
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
