using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;
using Workflow.Application;

namespace Workflow.Api.Graph;

/// <summary>
/// Sends mail from the one service mailbox, app-only with the Function App's managed identity. Exchange Online
/// RBAC for Applications scopes that identity's Mail.Send to the service mailbox alone (README, "Deploy").
/// </summary>
public sealed class GraphMailSender(GraphServiceClient graph, string serviceMailbox) : IMailSender
{
    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken) =>
        graph.Users[serviceMailbox].SendMail.PostAsync(new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = mail.Subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = mail.Html },
                ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = mail.ToEmail, Name = mail.ToName } }],
                // Marks the digest so a mail rule or a later audit can tell it apart; one per person and week.
                SingleValueExtendedProperties =
                [
                    new SingleValueLegacyExtendedProperty { Id = GraphMailbox.DigestIdProperty, Value = mail.DeduplicationId },
                ],
            },
            SaveToSentItems = false,
        }, cancellationToken: cancellationToken);

    // Not yet asked of Graph: the notification mail (issue 12) brings the Sent Items look-up.
    public Task<bool> WasSentAsync(string deduplicationId, CancellationToken cancellationToken) => Task.FromResult(false);
}
