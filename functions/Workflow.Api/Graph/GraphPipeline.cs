using System.Collections.Concurrent;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Workflow.Api.Graph;

/// <summary>
/// Graph clients on one HTTP pipeline per process: the SDK's own middleware (its retry handler honours Retry-After
/// on 429/503/504) plus two of ours — every call asks for immutable ids, and no more than 4 requests are ever in
/// flight per mailbox, the limit Exchange enforces per app and mailbox (platform.md, D5). Each client brings only
/// its credentials: a client per user or per request costs no connection pool of its own.
/// </summary>
public sealed class GraphPipeline
{
    public const int MaxConcurrentPerMailbox = 4;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly HttpClient _http;

    /// <param name="transport">The innermost handler (tests record Graph here).</param>
    public GraphPipeline(HttpMessageHandler transport)
        : this(() => transport)
    {
    }

    /// <param name="transport">Makes the innermost handler, once; by default a pooled socket handler that renews
    /// its connections every few minutes (so DNS changes are seen).</param>
    public GraphPipeline(Func<HttpMessageHandler>? transport = null)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        handlers.Insert(0, new ImmutableIdHandler());
        // Innermost, so a request waiting out a Retry-After does not hold one of the mailbox's slots.
        handlers.Add(new MailboxConcurrencyHandler(_mailboxes));
        _http = GraphClientFactory.Create(handlers, finalHandler: transport?.Invoke()
            ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
    }

    /// <summary>A client with <paramref name="authentication"/>'s credentials on this pipeline.</summary>
    public GraphServiceClient Create(IAuthenticationProvider authentication) => new(_http, authentication);

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
