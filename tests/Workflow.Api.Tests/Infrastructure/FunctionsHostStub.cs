using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>
/// Stands in for the Azure Functions host in front of a handler, doing what its custom-handler worker does
/// (azure-functions-host, src/WebJobs.Script/Workers/Http/DefaultHttpWorkerService.cs): the HTTP function's route
/// <c>api/{*path}</c> matched on Kestrel; the forwarded path taken from <c>new Uri(request.GetDisplayUrl()).AbsolutePath</c>
/// — the un-escaped display URL, normalised by <see cref="Uri"/> —; every header of the caller's request copied
/// with TryAddWithoutValidation (Host included), then the host's own headers added; timer invocations POSTed to
/// <c>/{function}</c>. It records the paths it forwarded, so a test can show a spelling really reaches a route.
/// </summary>
public sealed class FunctionsHostStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _toHandler;
    private readonly int _handlerPort;
    private readonly List<string> _forwarded = [];

    private FunctionsHostStub(WebApplication app, int handlerPort, int port)
    {
        _app = app;
        _handlerPort = handlerPort;
        Port = port;
        // As the host builds it: no cookies, and no redirects followed when forwarding.
        _toHandler = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
    }

    public int Port { get; }

    /// <summary>On every answer the handler gave (not the host itself, e.g. a request line its Kestrel refused).</summary>
    public const string ForwardedMarker = "X-Test-Forwarded-To-Handler";

    /// <summary>The paths (with query) the stub forwarded to the handler, in order.</summary>
    public IReadOnlyList<string> Forwarded { get { lock (_forwarded) { return [.. _forwarded]; } } }

    public static async Task<FunctionsHostStub> StartAsync(int handlerPort)
    {
        var port = Azurite.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var stub = new FunctionsHostStub(app, handlerPort, port);
        // host.json's default route prefix "api" + HttpApi/function.json's "{*path}".
        app.MapMethods("api/{*path}", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], stub.ForwardAsync);
        await app.StartAsync();
        return stub;
    }

    /// <summary>
    /// A client of the app's public endpoint, as a browser would use it: bodies are sent with a Content-Length. (The
    /// host forwards a body only when the request names its length, so a chunked body arrives empty.)
    /// </summary>
    public HttpClient CreatePublicClient() => new(new WithContentLength { InnerHandler = new SocketsHttpHandler() })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{Port}"),
    };

    private sealed class WithContentLength : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // The host's own HttpClient cannot forward a header value that is not ASCII (it fails, and the host answers
            // 500 without asking the handler): such values are the host's to refuse, and are fuzzed in process instead.
            foreach (var header in request.Headers.Where(h => h.Value.Any(v => v.Any(c => c > 127))).Select(h => h.Key).ToList())
            {
                request.Headers.Remove(header);
            }
            if (request.Content is { } content)
            {
                await content.LoadIntoBufferAsync(cancellationToken);
                content.Headers.ContentLength = (await content.ReadAsByteArrayAsync(cancellationToken)).Length;
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>The host's own invocation of a non-HTTP function (a timer), exactly as ProcessDefaultInvocationRequest sends it.</summary>
    public Task<HttpResponseMessage> InvokeAsync(string functionName, string payloadJson)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new UriBuilder("http", "127.0.0.1", _handlerPort, functionName).ToString())
        {
            Content = new StringContent(payloadJson, Encoding.UTF8, "application/json"),
        };
        AddHostHeaders(request);
        return _toHandler.SendAsync(request);
    }

    /// <summary>
    /// Sends a request line exactly as written — a raw backslash or dot segment included, which HttpClient would
    /// normalise away — and returns the status code of the answer.
    /// </summary>
    public async Task<HttpStatusCode> SendRawAsync(string method, string target, string host, params string[] headers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Port);
        await using var stream = tcp.GetStream();
        var text = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: 2\r\nContent-Type: application/json\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }
        text.Append("\r\n{}");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync() ?? "";
        // "HTTP/1.1 404 Not Found"
        return (HttpStatusCode)int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What the stub itself failed on (the real host would answer those 500 too, without asking the handler).</summary>
    public IReadOnlyList<string> Errors { get { lock (_errors) { return [.. _errors]; } } }

    private readonly List<string> _errors = [];

    private async Task ForwardAsync(HttpContext context)
    {
        try
        {
            await ForwardExactlyAsync(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_errors)
            {
                _errors.Add($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}: {e.GetType().Name}: {e.Message}");
            }
            throw;
        }
    }

    private async Task ForwardExactlyAsync(HttpContext context)
    {
        var request = context.Request;
        var path = new Uri(request.GetDisplayUrl()).AbsolutePath;
        var uri = new UriBuilder("http", "127.0.0.1", _handlerPort, path).ToString();
        var query = request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        using var forwarded = new HttpRequestMessage { RequestUri = new Uri(QueryHelpers.AddQueryString(uri, query)) };
        foreach (var header in request.Headers)
        {
            forwarded.Headers.TryAddWithoutValidation(header.Key, header.Value.AsEnumerable());
        }
        forwarded.Method = new HttpMethod(request.Method);
        if (request.ContentLength is > 0)
        {
            forwarded.Content = new StreamContent(request.Body);
            forwarded.Content.Headers.Add("Content-Length", request.ContentLength.ToString());
            if (!string.IsNullOrEmpty(request.ContentType))
            {
                forwarded.Content.Headers.Add("Content-Type", request.ContentType);
            }
        }
        AddHostHeaders(forwarded);
        lock (_forwarded)
        {
            _forwarded.Add(forwarded.RequestUri.PathAndQuery);
        }

        using var answer = await _toHandler.SendAsync(forwarded, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.Headers[ForwardedMarker] = "1";
        foreach (var header in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }
        if (answer.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.NotModified))
        {
            await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private static void AddHostHeaders(HttpRequestMessage request)
    {
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1037.0.0");
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1037.0.0");
    }

    public async ValueTask DisposeAsync()
    {
        _toHandler.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
