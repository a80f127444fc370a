using System.Collections.Concurrent;
using Workflow.Application;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>Keeps every mail "sent"; can be told to fail for one address a number of times, as a mail outage would.</summary>
public sealed class RecordingMailSender : IMailSender
{
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<OutgoingMail> Sent { get; } = new();

    public void FailFor(string email, int times) => _failuresLeft[email] = times;

    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        if (_failuresLeft.TryGetValue(mail.ToEmail, out var left) && left > 0)
        {
            _failuresLeft[mail.ToEmail] = left - 1;
            throw new HttpRequestException("Injected: the mail service is down.");
        }
        Sent.Enqueue(mail);
        return Task.CompletedTask;
    }

    public Task<bool> WasSentAsync(string deduplicationId, CancellationToken cancellationToken) =>
        Task.FromResult(Sent.Any(m => m.DeduplicationId == deduplicationId));

    public int CountFor(string email) => Sent.Count(m => string.Equals(m.ToEmail, email, StringComparison.OrdinalIgnoreCase));
}
