using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Workflow.Api.Graph;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>
/// Microsoft Graph as recorded JSON behind the real GraphServiceClient: answers by route, records every request
/// (method, URL, headers, body) and how many were in flight at once per mailbox.
/// </summary>
public sealed class FakeGraph : HttpMessageHandler
{
    private readonly List<(Func<HttpRequestMessage, bool> Matches, Func<HttpRequestMessage, HttpResponseMessage> Answer)> _routes = [];
    private readonly ConcurrentDictionary<string, int> _inFlight = new();

    public ConcurrentQueue<Recorded> Requests { get; } = new();

    public ConcurrentDictionary<string, int> MaxInFlight { get; } = new();

    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    public sealed record Recorded(HttpMethod Method, string Url, string? Prefer, string? Authorization, string? Body, string? ContentType);

    public FakeGraph On(HttpMethod method, string pathAndQueryStart, string json, HttpStatusCode status = HttpStatusCode.OK) =>
        On(r => r.Method == method && Uri.UnescapeDataString(r.RequestUri!.PathAndQuery).StartsWith(pathAndQueryStart, StringComparison.Ordinal),
            _ => Json(json, status));

    public FakeGraph On(Func<HttpRequestMessage, bool> matches, Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        _routes.Add((matches, answer));
        return this;
    }

    public GraphServiceClient Client(GraphPipeline? pipeline = null) =>
        (pipeline ?? new GraphPipeline(this)).Create(new BaseBearerTokenAuthenticationProvider(new StaticToken()));

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var mailbox = request.RequestUri!.AbsolutePath.Split('/') is var s && s.Length > 3 && s[2] == "users" ? Uri.UnescapeDataString(s[3]) : "(tenant)";
        var now = _inFlight.AddOrUpdate(mailbox, 1, (_, n) => n + 1);
        MaxInFlight.AddOrUpdate(mailbox, now, (_, max) => Math.Max(max, now));
        try
        {
            Requests.Enqueue(new Recorded(request.Method, Uri.UnescapeDataString(request.RequestUri.PathAndQuery),
                request.Headers.TryGetValues("Prefer", out var prefer) ? string.Join(", ", prefer) : null,
                request.Headers.Authorization?.ToString(),
                request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken),
                request.Content?.Headers.ContentType?.MediaType));
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, cancellationToken);
            }
            var route = _routes.LastOrDefault(r => r.Matches(request));
            var response = route.Answer is null
                ? Json("""{"error":{"code":"ItemNotFound","message":"Not recorded."}}""", HttpStatusCode.NotFound)
                : route.Answer(request);
            // As the real transport does: the SDK's retry handler resends the request the response names.
            response.RequestMessage = request;
            return response;
        }
        finally
        {
            _inFlight.AddOrUpdate(mailbox, 0, (_, n) => n - 1);
        }
    }

    private sealed class StaticToken : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new(["graph.microsoft.com"]);

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult("graph-test-token");
    }
}
