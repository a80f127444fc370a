using System.Text;
using MimeKit;
using MimeKit.Text;
using Workflow.Application;

namespace Workflow.Api.Mail;

/// <summary>
/// The one way an <see cref="OutgoingMail"/> becomes MIME, for every sender (the development outbox and Graph's
/// MIME sendMail alike), so what a recipient's client sees — Message-ID, threading headers, both alternatives — does
/// not depend on where the mail was sent from.
/// </summary>
public static class MimeMail
{
    /// <summary>
    /// Carries the mail's deduplication id on every mail we send. Exchange keeps X- headers as named properties of the
    /// internet-headers property set, so a mail rule or an audit can pick our mail out of the service mailbox's Sent Items.
    /// </summary>
    public const string MailIdHeader = "X-Workflow-Mail-Id";

    /// <summary>
    /// Builds the message: From, To (with name), Subject, Date, Message-ID <c>&lt;{id}@{From's domain}&gt;</c>,
    /// In-Reply-To and References naming the thread when the mail has one, and a multipart/alternative body with
    /// text/plain first (the mail's text, or one derived from its HTML) and text/html last, as RFC 2046 orders them.
    /// </summary>
    public static MimeMessage Build(OutgoingMail mail, MailboxAddress from, DateTimeOffset date)
    {
        var message = new MimeMessage { Subject = OneLine(mail.Subject), Date = date, MessageId = MessageIdOf(mail.DeduplicationId, from.Domain) };
        message.From.Add(from);
        message.To.Add(new MailboxAddress(mail.ToName is { } name ? OneLine(name) : null, OneLine(mail.ToEmail)));
        if (mail.ThreadId is { } thread)
        {
            var root = MessageIdOf(thread, from.Domain);
            message.InReplyTo = root;
            message.References.Add(root);
        }
        message.Headers.Add(MailIdHeader, SafeId(mail.DeduplicationId));
        message.Body = new BodyBuilder { TextBody = mail.Text ?? PlainTextOf(mail.Html), HtmlBody = mail.Html }.ToMessageBody();
        // 7-bit transfer encodings (quoted-printable or base64 per part): the bytes survive any relay unchanged.
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }

    /// <summary>The message as it goes on the wire: CRLF line ends, as RFC 5322 requires.</summary>
    public static byte[] ToBytes(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var bytes = new MemoryStream();
        message.WriteTo(options, bytes);
        return bytes.ToArray();
    }

    /// <summary>The Message-ID (without angle brackets) the mail with this deduplication id gets when sent from <paramref name="domain"/>.</summary>
    public static string MessageIdOf(string deduplicationId, string domain) => $"{SafeId(deduplicationId)}@{domain}";

    /// <summary>
    /// An id made safe for a Message-ID's left part and for a file name: ASCII letters, digits, '-' and '_' stay, every
    /// other character becomes '=' and its UTF-8 bytes in hex. Reversible, so two ids never share one Message-ID.
    /// </summary>
    public static string SafeId(string id)
    {
        var safe = new StringBuilder(id.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in id.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '_'))
            {
                safe.Append((char)rune.Value);
                continue;
            }
            foreach (var b in utf8[..rune.EncodeToUtf8(utf8)])
            {
                safe.Append('=').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return safe.ToString();
    }

    /// <summary>A header's text on one line: a CR or LF (or any control character) could otherwise start a header of its own.</summary>
    private static string OneLine(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.IsControl(source[i]) ? ' ' : source[i];
        }
    });

    /// <summary>
    /// A readable plain rendering of our own HTML mail: its text with entities decoded, a line break for every block
    /// and &lt;br&gt;, list items as "- ", and each link's address after its text (a plain-text reader cannot click it).
    /// </summary>
    internal static string PlainTextOf(string html)
    {
        var text = new StringBuilder();
        string? href = null;
        var skipping = false;
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlDataToken data when !skipping:
                    text.Append(CollapseWhitespace(data.Data, text.Length == 0 || text[^1] is '\n' or ' '));
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head:
                    skipping = !tag.IsEndTag && !tag.IsEmptyElement;
                    break;
                case HtmlTagToken { Id: HtmlTagId.Br }:
                    text.Append('\n');
                    break;
                case HtmlTagToken { Id: HtmlTagId.A } tag:
                    if (!tag.IsEndTag)
                    {
                        href = tag.Attributes.FirstOrDefault(a => a.Id == HtmlAttributeId.Href)?.Value;
                    }
                    else if (href is not null)
                    {
                        text.Append(" (").Append(href).Append(')');
                        href = null;
                    }
                    break;
                case HtmlTagToken { Id: HtmlTagId.LI, IsEndTag: false }:
                    NewLine(text);
                    text.Append("- ");
                    break;
                case HtmlTagToken { Id: HtmlTagId.TD or HtmlTagId.TH, IsEndTag: true }:
                    text.Append(' ');
                    break;
                case HtmlTagToken tag when IsBlock(tag.Id):
                    NewLine(text);
                    break;
            }
        }
        return string.Join('\n', text.ToString().Split('\n').Select(line => line.TrimEnd())).Trim() + "\n";
    }

    private static bool IsBlock(HtmlTagId id) => id is HtmlTagId.P or HtmlTagId.Div or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3
        or HtmlTagId.H4 or HtmlTagId.UL or HtmlTagId.OL or HtmlTagId.Table or HtmlTagId.TR or HtmlTagId.BlockQuote or HtmlTagId.HR;

    private static void NewLine(StringBuilder text)
    {
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }
    }

    private static string CollapseWhitespace(string data, bool atLineStart)
    {
        var collapsed = new StringBuilder(data.Length);
        var space = atLineStart;
        foreach (var c in data)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!space)
                {
                    collapsed.Append(' ');
                }
                space = true;
            }
            else
            {
                collapsed.Append(c);
                space = false;
            }
        }
        return collapsed.ToString();
    }
}
