using MimeKit;
using Workflow.Api.Mail;
using Workflow.Application;

namespace Workflow.Api.Tests;

/// <summary>The one MIME builder, read back with MimeKit's parser as a recipient's client would read it.</summary>
public sealed class MimeMailTests
{
    private static readonly MailboxAddress From = new("Workflow", "noreply@workflow.localhost");
    private static readonly DateTimeOffset Sent = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    private static MimeMessage RoundTrip(OutgoingMail mail) =>
        MimeMessage.Load(new MemoryStream(MimeMail.ToBytes(MimeMail.Build(mail, From, Sent))));

    [Fact]
    public void A_mail_carries_its_addresses_date_and_a_Message_ID_named_by_its_deduplication_id()
    {
        var message = RoundTrip(new OutgoingMail("bob@contoso.test", "Bob", "Your turn", "<p>Hi</p>", "notice-42"));

        Assert.Equal("\"Workflow\" <noreply@workflow.localhost>", message.From.ToString());
        var to = Assert.IsType<MailboxAddress>(Assert.Single(message.To));
        Assert.Equal(("Bob", "bob@contoso.test"), (to.Name, to.Address));
        Assert.Equal("Your turn", message.Subject);
        Assert.Equal(Sent, message.Date);
        Assert.Equal("notice-42@workflow.localhost", message.MessageId);
        Assert.Equal("notice-42", message.Headers[MimeMail.MailIdHeader]);
        Assert.Null(message.InReplyTo);
        Assert.Empty(message.References);
    }

    [Fact]
    public void A_mail_of_a_thread_replies_to_and_references_the_threads_stable_root()
    {
        var first = RoundTrip(new OutgoingMail("bob@contoso.test", null, "Your turn", "<p>1</p>", "notice-1") { ThreadId = "wf-7/bob" });
        var second = RoundTrip(new OutgoingMail("bob@contoso.test", null, "Your turn", "<p>2</p>", "notice-2") { ThreadId = "wf-7/bob" });

        Assert.Equal("wf-7=2Fbob@workflow.localhost", first.InReplyTo);
        Assert.Equal(["wf-7=2Fbob@workflow.localhost"], first.References);
        Assert.Equal((first.InReplyTo, first.References.Single()), (second.InReplyTo, second.References.Single()));
        Assert.NotEqual(first.MessageId, second.MessageId);
    }

    [Fact]
    public void The_body_is_the_plain_text_then_the_HTML_as_alternatives()
    {
        var message = RoundTrip(new OutgoingMail("bob@contoso.test", "Bob", "Your turn", "<p>Hello <b>Bob</b></p>", "n-1") { Text = "Hello Bob" });

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Collection(alternative,
            plain => Assert.Equal(("text/plain", "utf-8", "Hello Bob"), Part(plain)),
            html => Assert.Equal(("text/html", "utf-8", "<p>Hello <b>Bob</b></p>"), Part(html)));
        Assert.Equal("Hello Bob", message.TextBody);
        Assert.Equal("<p>Hello <b>Bob</b></p>", message.HtmlBody);
    }

    [Fact]
    public void Without_a_text_the_plain_part_is_derived_from_the_HTML()
    {
        const string html = """
            <!DOCTYPE html><html><head><title>Not shown</title><style>p{color:red}</style></head><body>
            <h1>Your weekly review</h1><p>Two &amp; more   items:</p>
            <ul><li><a href="https://app.test/?workflow=1">Budget</a></li><li>Slides<br>due Friday</li></ul></body></html>
            """;

        var text = RoundTrip(new OutgoingMail("bob@contoso.test", null, "Review", html, "n-2")).TextBody;

        Assert.Equal("Your weekly review\nTwo & more items:\n- Budget (https://app.test/?workflow=1)\n- Slides\ndue Friday\n", text?.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_subject_and_a_name_beyond_ASCII_arrive_as_written()
    {
        var message = RoundTrip(new OutgoingMail("bob@contoso.test", "Bob Bäcker 李", "Prüfung: 5 € — 次の一手", "<p>ß</p>", "n-3"));

        Assert.Equal("Prüfung: 5 € — 次の一手", message.Subject);
        Assert.Equal("Bob Bäcker 李", ((MailboxAddress)message.To.Single()).Name);
        Assert.Equal("<p>ß</p>", message.HtmlBody);
    }

    [Fact]
    public void Line_breaks_in_a_subject_or_name_cannot_add_a_header()
    {
        var mail = new OutgoingMail("bob@contoso.test", "Bob\r\nBcc: eve@evil.test", "Hi\r\nBcc: eve@evil.test\nX-Injected: yes", "<p>Hi</p>", "n-4");

        var bytes = MimeMail.ToBytes(MimeMail.Build(mail, From, Sent));
        var message = MimeMessage.Load(new MemoryStream(bytes));

        Assert.Empty(message.Bcc);
        Assert.DoesNotContain(message.Headers, h => h.Field is "Bcc" or "X-Injected");
        Assert.Equal("bob@contoso.test", ((MailboxAddress)message.To.Single()).Address);
        Assert.Equal("Hi  Bcc: eve@evil.test X-Injected: yes", message.Subject);
        Assert.Single(message.Headers, h => h.Id == HeaderId.Subject);
    }

    [Theory]
    [InlineData("2026-W48-bob", "2026-W48-bob")]
    [InlineData("a b/c@d", "a=20b=2Fc=40d")]
    [InlineData("a=b", "a=3Db")]
    [InlineData("ä", "=C3=A4")]
    public void Ids_are_made_header_and_file_safe_without_two_sharing_one(string id, string safe) =>
        Assert.Equal(safe, MimeMail.SafeId(id));

    private static (string MimeType, string? Charset, string Text) Part(MimeEntity entity)
    {
        var part = Assert.IsType<TextPart>(entity);
        return (part.ContentType.MimeType, part.ContentType.Charset, part.Text);
    }
}
