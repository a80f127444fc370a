using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>
/// A real Azurite Table endpoint, in memory, started once for the test run from the repository's own
/// node_modules (package.json pins it; scripts/test.sh installs it).
/// </summary>
public sealed class Azurite : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public async Task InitializeAsync()
    {
        var executable = Path.Combine(RepoRoot.Path, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run 'npm ci' in the repository root (scripts/test.sh does).");
        }
        // The port is picked free and handed over, so another process may take it first: then Azurite exits, or
        // something else answers there. Only Azurite's own answer counts, and a taken port is tried again with another.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            _process = Process.Start(new ProcessStartInfo(executable,
                ["--tableHost", "127.0.0.1", "--tablePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 "--inMemoryPersistence", "--disableTelemetry"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            try
            {
                await WaitUntilAzuriteAnswersAsync(_process, Port, TimeSpan.FromSeconds(30));
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await DisposeAsync();
            }
        }
    }

    private static async Task WaitUntilAzuriteAnswersAsync(Process process, int port, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening on port {port}.");
            }
            try
            {
                using var answer = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
                if (answer.Headers.Server.ToString().StartsWith("Azurite", StringComparison.Ordinal))
                {
                    return;
                }
                throw new InvalidOperationException($"Something other than Azurite answers on port {port}.");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"Azurite did not listen on port {port} within {timeout.TotalSeconds:0} s.");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Waits until <paramref name="process"/> accepts connections on <paramref name="port"/>; throws if it exits first or is too slow.</summary>
    public static async Task WaitUntilListeningAsync(Process process, int port, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited with code {process.ExitCode} before listening.");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"{what} did not listen on port {port} within {timeout.TotalSeconds:0} s.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class SharedAzurite : ICollectionFixture<Azurite>
{
    public const string Name = "Azurite";
}
