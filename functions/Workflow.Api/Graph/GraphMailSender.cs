using System.Text;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using MimeKit;
using Workflow.Api.Mail;
using Workflow.Application;

namespace Workflow.Api.Graph;

/// <summary>
/// Sends mail from the one service mailbox, app-only with the Function App's managed identity. Exchange Online
/// RBAC for Applications scopes that identity's Mail.Send (and Mail.ReadBasic, for the Sent Items look-up) to the
/// service mailbox alone (README, "Deploy").
/// </summary>
/// <remarks>
/// The mail goes as MIME (sendMail with a base64 text/plain body), not as a JSON message: only MIME lets us set
/// Message-ID, In-Reply-To and References, which name the mail for <see cref="WasSentAsync"/> and thread a
/// workflow's mails in the recipient's client. A MIME send is always saved to Sent Items (the JSON form's
/// saveToSentItems does not exist for it), which is where <see cref="WasSentAsync"/> looks.
/// </remarks>
public sealed class GraphMailSender(GraphServiceClient graph, string serviceMailbox, TimeProvider time) : IMailSender
{
    private static readonly Dictionary<string, ParsableFactory<IParsable>> Errors = new() { ["XXX"] = ODataError.CreateFromDiscriminatorValue };

    private readonly MailboxAddress _from = new("Workflow", serviceMailbox);

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var mime = MimeMail.ToBytes(MimeMail.Build(mail, _from, time.GetUtcNow()));
        // Through the client's own request adapter, so this call gets the pipeline's retries, auth and mailbox limit.
        var request = new RequestInformation(Method.POST, "{+baseurl}/users/{user%2Did}/sendMail", new Dictionary<string, object> { ["user%2Did"] = serviceMailbox });
        request.Headers.Add("Accept", "application/json");
        request.SetStreamContent(new MemoryStream(Encoding.ASCII.GetBytes(Convert.ToBase64String(mime))), "text/plain");
        await graph.RequestAdapter.SendNoContentAsync(request, Errors, cancellationToken);
    }

    /// <summary>Whether the service mailbox's Sent Items holds a message with this mail's Message-ID.</summary>
    public async Task<bool> WasSentAsync(string deduplicationId, CancellationToken cancellationToken)
    {
        // SafeId leaves only letters, digits, '-', '_', '=' and the mailbox's domain: nothing to escape in the literal.
        var messageId = $"<{MimeMail.MessageIdOf(deduplicationId, _from.Domain)}>";
        var found = await graph.Users[serviceMailbox].MailFolders["sentitems"].Messages.GetAsync(request =>
        {
            request.QueryParameters.Filter = $"internetMessageId eq '{messageId}'";
            request.QueryParameters.Select = ["id"];
            request.QueryParameters.Top = 1;
        }, cancellationToken);
        return found?.Value is { Count: > 0 };
    }
}
