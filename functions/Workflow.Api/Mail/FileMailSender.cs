using MimeKit;
using Workflow.Application;

namespace Workflow.Api.Mail;

public sealed class FileMailOptions
{
    public const string Section = "Mail";

    /// <summary>The folder development mail is written to, one .eml file per message (git-ignored).</summary>
    public string OutboxPath { get; set; } = "outbox";
}

/// <summary>
/// Development mail: each message becomes an .eml file any mail client opens — like the file-based mail backends of
/// popular web frameworks. The file is named by the message's deduplication id, so sending it again replaces it.
/// </summary>
public sealed class FileMailSender(FileMailOptions options, TimeProvider time) : IMailSender
{
    /// <summary>Who development mail is from; its domain names every Message-ID (and thread) written here.</summary>
    public static readonly MailboxAddress From = new("Workflow", "noreply@workflow.localhost");

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.OutboxPath);
        var path = PathOf(mail.DeduplicationId);
        // Written beside its final name and moved into place, so a reader never sees half a message.
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, MimeMail.ToBytes(MimeMail.Build(mail, From, time.GetUtcNow())), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public Task<bool> WasSentAsync(string deduplicationId, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(deduplicationId)));

    private string PathOf(string deduplicationId) => Path.Combine(options.OutboxPath, MimeMail.SafeId(deduplicationId) + ".eml");
}
