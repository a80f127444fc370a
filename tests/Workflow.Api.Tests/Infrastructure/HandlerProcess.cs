using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>
/// The built handler started the way the Azure Functions host starts it: an app root laid out from the repository's
/// host.json and function folders, the build output where host.json says, the port in FUNCTIONS_CUSTOMHANDLER_PORT,
/// the working directory host.json names, and GET / polled until it answers.
/// </summary>
public sealed class HandlerProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _appRoot;
    private readonly bool _ownsAppRoot;
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    /// <param name="appRoot">An app root to run as it is (an unpacked package); by default one is laid out from the repository.</param>
    public HandlerProcess(Azurite azurite, string tablePrefix, IDictionary<string, string>? settings = null, string? appRoot = null)
    {
        _ownsAppRoot = appRoot is null;
        _appRoot = appRoot ?? Directory.CreateTempSubdirectory("workflow-app-root-").FullName;
        Port = Azurite.FreePort();
        _environment = new Dictionary<string, string>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Tables__ConnectionString"] = azurite.ConnectionString,
            ["Tables__TablePrefix"] = tablePrefix,
            ["RateLimits__WriteBurst"] = "1000000",
            ["RateLimits__WritesPerMinute"] = "6000000",
            ["RateLimits__ReadBurst"] = "1000000",
            ["RateLimits__ReadsPerMinute"] = "6000000",
            ["RateLimits__AnonymousBurst"] = "1000000",
            ["RateLimits__AnonymousPerMinute"] = "6000000",
            // Notification mail goes out when a test invokes the Notifications timer, never behind its back.
            ["Notifications__PollInterval"] = "00:00:00",
            ["Notifications__CoalesceWindow"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _environment[key] = value;
        }
        if (_ownsAppRoot)
        {
            LayOutAppRoot();
        }
    }

    /// <summary>The native handler's path, set by scripts/test.sh for these tests and the browser tests alike.</summary>
    public const string NativeHandlerVariable = "WORKFLOW_API_EXECUTABLE";

    public int Port { get; }

    /// <summary>A client of the running handler whose every exchange is held to the contract (<see cref="ContractCheck"/>).</summary>
    public HttpClient CreateClient() => new(new ContractCheck { InnerHandler = new HttpClientHandler() }) { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };

    public string Output => string.Join('\n', _output);

    public async Task StartAsync()
    {
        var description = JsonNode.Parse(File.ReadAllText(Path.Combine(_appRoot, "host.json")))!["customHandler"]!["description"]!;
        var start = new ProcessStartInfo(Path.Combine(_appRoot, description["defaultExecutablePath"]!.GetValue<string>()))
        {
            WorkingDirectory = Path.Combine(_appRoot, description["workingDirectory"]?.GetValue<string>() ?? ""),
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in description["arguments"]?.AsArray() ?? [])
        {
            start.ArgumentList.Add(argument!.GetValue<string>());
        }
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        start.Environment.Remove("ASPNETCORE_URLS");
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        _process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // The host polls GET / until any answer; it gives a handler 60 s (newer hosts 30 s).
        using var http = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // The wait without a timeout also waits until the redirected output has been read to its end: without it
                // the reason the handler gave can still be in flight (seen on a loaded machine: "exited with code 134: ").
                _process.WaitForExit();
                throw new InvalidOperationException($"The handler exited with code {_process.ExitCode}: {Output}");
            }
            try
            {
                var response = await http.GetAsync("/");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("The handler did not answer GET / within 30 s.");
    }

    /// <summary>Kills the process at once, as a crash or a host recycling the instance would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        _process = null;
    }

    public async Task<HttpClient> SignedInAsync(string email)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/dev/token", new { email });
        response.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        if (_ownsAppRoot)
        {
            Directory.Delete(_appRoot, recursive: true);
        }
        return ValueTask.CompletedTask;
    }

    private void LayOutAppRoot()
    {
        File.Copy(Path.Combine(RepoRoot.Path, "host.json"), Path.Combine(_appRoot, "host.json"));
        Directory.CreateDirectory(Path.Combine(_appRoot, "HttpApi"));
        File.Copy(Path.Combine(RepoRoot.Path, "HttpApi", "function.json"), Path.Combine(_appRoot, "HttpApi", "function.json"));

        var executable = JsonNode.Parse(File.ReadAllText(Path.Combine(_appRoot, "host.json")))!["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>();
        // The handler as it ships, compiled ahead of time, when scripts/test.sh has published it (ADR 0019: what only the
        // native handler lacks fails here); else the API project's own build output, in this test run's configuration.
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var built = Environment.GetEnvironmentVariable(NativeHandlerVariable) is { Length: > 0 } native
            ? Path.GetFullPath(Path.GetDirectoryName(native)!)
            : Path.Combine(RepoRoot.Path, "functions", "Workflow.Api", "bin", configuration, "net10.0");
        Directory.CreateSymbolicLink(Path.GetDirectoryName(Path.Combine(_appRoot, executable))!, built);
        if (!File.Exists(Path.Combine(_appRoot, executable)))
        {
            throw new InvalidOperationException($"host.json names {executable}, which the build did not produce.");
        }
    }
}
