using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// The contract with the Azure Functions host, exercised the way the host exercises it (there is no host here):
/// an app root laid out from the repository's host.json and function folders with the built handler where host.json
/// says, started with the port in FUNCTIONS_CUSTOMHANDLER_PORT from the working directory host.json names, polled on
/// GET / until ready, then driven over HTTP with forwarded requests.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class CustomHandlerTests(Azurite azurite) : IAsyncLifetime
{
    private readonly string _appRoot = Directory.CreateTempSubdirectory("workflow-app-root-").FullName;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _handler;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (_handler is { HasExited: false })
        {
            _handler.Kill(entireProcessTree: true);
            _handler.WaitForExit(5000);
        }
        _handler?.Dispose();
        Directory.Delete(_appRoot, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void The_http_function_forwards_every_path_and_method_to_the_handler()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "host.json")))!;
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("2.0", host["version"]!.GetValue<string>());

        var function = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "HttpApi", "function.json")))!;
        var bindings = function["bindings"]!.AsArray();
        // Forwarding needs exactly an HTTP trigger and an HTTP output, nothing else.
        Assert.Equal(["httpTrigger:in", "http:out"], bindings.Select(b => $"{b!["type"]}:{b["direction"]}"));
        Assert.Equal("{*path}", bindings[0]!["route"]!.GetValue<string>());
        Assert.Equal("anonymous", bindings[0]!["authLevel"]!.GetValue<string>());
        Assert.Equal(["get", "post", "put", "patch", "delete", "options"], bindings[0]!["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public async Task The_built_handler_starts_as_the_Functions_host_starts_it_and_serves_a_whole_loop()
    {
        var port = Azurite.FreePort();
        _handler = StartLikeTheHost(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitUntilReadyAsync(http);

        var alice = await TokenAsync(http, "alice@contoso.test");
        var bob = await TokenAsync(http, "bob@contoso.test");
        var opened = await SendAsync(http, alice, HttpMethod.Post, "/api/workflows",
            new { concern = "Via the host", customer = "me", performer = "bob@contoso.test", conditions = "Done right", dueBy = DateTimeOffset.UtcNow.AddDays(3) });
        Assert.Equal(HttpStatusCode.Created, opened.Status);
        var id = opened.Id;
        var etag = opened.ETag;
        foreach (var (who, move) in new[] { (alice, "request"), (bob, "promise"), (bob, "reportComplete"), (alice, "declareSatisfied") })
        {
            var moved = await SendAsync(http, who, HttpMethod.Post, $"/api/workflows/{id}/moves", new { move }, etag);
            Assert.True(moved.Status == HttpStatusCode.OK, moved.ToString());
            etag = moved.ETag;
        }
        var final = await SendAsync(http, bob, HttpMethod.Get, $"/api/workflows/{id}", null);
        Assert.Equal(("satisfied", 5), (final.State, final.Version));
    }

    private Process StartLikeTheHost(int port)
    {
        File.Copy(Path.Combine(RepoRoot.Path, "host.json"), Path.Combine(_appRoot, "host.json"));
        Directory.CreateDirectory(Path.Combine(_appRoot, "HttpApi"));
        File.Copy(Path.Combine(RepoRoot.Path, "HttpApi", "function.json"), Path.Combine(_appRoot, "HttpApi", "function.json"));

        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(_appRoot, "host.json")))!["customHandler"]!["description"]!;
        var executable = host["defaultExecutablePath"]!.GetValue<string>();
        var workingDirectory = host["workingDirectory"]?.GetValue<string>() ?? "";

        // Place the handler where host.json expects it: the API project's own build output, same configuration.
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var built = Path.Combine(RepoRoot.Path, "functions", "Workflow.Api", "bin", configuration, "net10.0");
        var handlerDirectory = Path.GetDirectoryName(Path.Combine(_appRoot, executable))!;
        Directory.CreateSymbolicLink(handlerDirectory, built);
        Assert.True(File.Exists(Path.Combine(_appRoot, executable)), $"host.json names {executable}, which the build did not produce.");

        var start = new ProcessStartInfo(Path.Combine(_appRoot, executable))
        {
            WorkingDirectory = Path.Combine(_appRoot, workingDirectory),
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in JsonNode.Parse(File.ReadAllText(Path.Combine(_appRoot, "host.json")))!["customHandler"]!["description"]!["arguments"]?.AsArray() ?? [])
        {
            start.ArgumentList.Add(argument!.GetValue<string>());
        }
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Tables__ConnectionString"] = azurite.ConnectionString;
        start.Environment["Tables__TablePrefix"] = "h" + Guid.NewGuid().ToString("N")[..12];
        start.Environment.Remove("ASPNETCORE_URLS");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilReadyAsync(HttpClient http)
    {
        // The host polls GET / until any answer; it gives a handler 60 s (newer hosts 30 s).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_handler!.HasExited)
            {
                Assert.Fail($"The handler exited with code {_handler.ExitCode}: {string.Join('\n', _output)}");
            }
            try
            {
                var response = await http.GetAsync("/");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        Assert.Fail("The handler did not answer GET / within 30 s.");
    }

    private static async Task<string> TokenAsync(HttpClient http, string email)
    {
        var response = await http.PostAsJsonAsync("/api/dev/token", new { email });
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    private static async Task<ApiClient.Answer> SendAsync(HttpClient http, string token, HttpMethod method, string path, object? body, string? etag = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }
        return await ApiClient.Read(await http.SendAsync(request));
    }
}
