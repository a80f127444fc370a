using System.Collections.Concurrent;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Workflow.Api.Graph;

/// <summary>
/// Builds Graph clients on the SDK's own middleware (its retry handler honours Retry-After on 429/503/504) plus two
/// of ours: every call asks for immutable ids, and no more than 4 requests are ever in flight per mailbox — the limit
/// Exchange enforces per app and mailbox (platform.md, D5).
/// </summary>
public sealed class GraphPipeline(HttpMessageHandler? transport = null)
{
    public const int MaxConcurrentPerMailbox = 4;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _mailboxes = new(StringComparer.OrdinalIgnoreCase);

    public GraphServiceClient Create(IAuthenticationProvider authentication)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        handlers.Insert(0, new ImmutableIdHandler());
        // Innermost, so a request waiting out a Retry-After does not hold one of the mailbox's slots.
        handlers.Add(new MailboxConcurrencyHandler(_mailboxes));
        var http = GraphClientFactory.Create(handlers, finalHandler: transport ?? new HttpClientHandler());
        return new GraphServiceClient(http, authentication);
    }

    private sealed class ImmutableIdHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.Headers.Contains("Prefer"))
            {
                request.Headers.TryAddWithoutValidation("Prefer", "IdType=\"ImmutableId\"");
            }
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class MailboxConcurrencyHandler(ConcurrentDictionary<string, SemaphoreSlim> mailboxes) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var gate = mailboxes.GetOrAdd(MailboxOf(request.RequestUri), _ => new SemaphoreSlim(MaxConcurrentPerMailbox));
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }

        /// <summary>The mailbox a request addresses: the id after /users/, or the request's host for everything else.</summary>
        private static string MailboxOf(Uri? uri)
        {
            var segments = uri?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
            var users = Array.FindIndex(segments, s => s.Equals("users", StringComparison.OrdinalIgnoreCase));
            return users >= 0 && users + 1 < segments.Length ? Uri.UnescapeDataString(segments[users + 1]) : "(tenant)";
        }
    }
}
