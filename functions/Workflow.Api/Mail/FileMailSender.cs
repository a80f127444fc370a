using System.Globalization;
using System.Text;
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
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.OutboxPath);
        var name = FileName(mail.DeduplicationId);
        var eml = new StringBuilder()
            .Append("From: Workflow <noreply@workflow.localhost>\r\n")
            .Append("To: ").Append(Header(mail.ToName)).Append(" <").Append(mail.ToEmail).Append(">\r\n")
            .Append("Subject: ").Append(Header(mail.Subject)).Append("\r\n")
            .Append("Date: ").Append(time.GetUtcNow().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Message-ID: <").Append(name).Append("@workflow.localhost>\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/html; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: base64\r\n\r\n")
            .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(mail.Html), Base64FormattingOptions.InsertLineBreaks))
            .Append("\r\n");
        var path = Path.Combine(options.OutboxPath, name + ".eml");
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, eml.ToString(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public Task<bool> WasSentAsync(string deduplicationId, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(Path.Combine(options.OutboxPath, FileName(deduplicationId) + ".eml")));

    private static string FileName(string deduplicationId) =>
        new([.. deduplicationId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);

    /// <summary>RFC 2047 encoding for a header that is not plain ASCII.</summary>
    private static string Header(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.All(c => c is >= ' ' and <= '~')
            ? text
            : $"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}?=";
}
