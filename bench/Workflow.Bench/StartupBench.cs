using Microsoft.Extensions.Configuration;
using System.Diagnostics;

namespace Workflow.Bench;

/// <summary>Wall-clock milliseconds to the first 200, and the CPU milliseconds the process had used by then.</summary>
internal sealed record StartupResult(IReadOnlyList<double> ApiMs, IReadOnlyList<double> EmptyMs, IReadOnlyList<double> ApiCpuMs, IReadOnlyList<double> EmptyCpuMs,
    IReadOnlyList<double> ApiSignedInMs, IReadOnlyList<double> ApiLocalSignInMs)
{
    public double ApiMedian => Stats.Median(ApiMs);
    public double EmptyMedian => Stats.Median(EmptyMs);
    public double Ratio => ApiMedian / EmptyMedian;
    public double SignedInRatio => Stats.Median(ApiSignedInMs) / EmptyMedian;
}

/// <summary>
/// Start-up: process start → first 200 on GET /, for the API and for an empty ASP.NET Core app, both started as the
/// Functions host starts a handler. Alternated (and the order flipped every round) so drift on a shared machine
/// falls on both alike.
/// </summary>
internal static class StartupBench
{
    public static async Task<StartupResult> RunAsync(BenchOptions options, string apiExecutable, string emptyExecutable,
        AzuriteServer azurite, Action<string> progress)
    {
        var api = new List<double>();
        var empty = new List<double>();
        var apiCpu = new List<double>();
        var emptyCpu = new List<double>();
        var apiSignedIn = new List<double>();
        var apiLocalSignIn = new List<double>();
        // The first user of a cold instance in Azure brings a token Entra issued; here the bench issues it, with the key
        // every API it starts is given (DevelopmentSignIn:Key), so the instance only validates it, as it would Entra's.
        var tokens = new ForeignTokens(Path.GetDirectoryName(apiExecutable)!);
        var token = tokens.For("alice@contoso.test");
        // One set of tables for every start, made by round 0: a cold instance in Azure nearly always finds its tables.
        var tables = "s" + Guid.NewGuid().ToString("N")[..12];
        // Round 0 is discarded: it pays for the OS file cache and for the bench's own first HTTP calls.
        for (var round = 0; round <= options.Starts; round++)
        {
            var order = round % 2 == 0 ? new[] { false, true } : [true, false];
            foreach (var isApi in order)
            {
                var (ms, cpu, signedInMs) = await StartOnceAsync(isApi ? apiExecutable : emptyExecutable, azurite, tables, tokens.Key,
                    isApi ? _ => Task.FromResult(token) : null);
                if (round > 0)
                {
                    (isApi ? api : empty).Add(ms);
                    (isApi ? apiCpu : emptyCpu).Add(cpu);
                    if (isApi)
                    {
                        apiSignedIn.Add(signedInMs);
                    }
                    if (isApi && round % 3 == 0)
                    {
                        // Every third round, another start that signs in locally first, as the bench measured it before
                        // issue 17's last change (the cold instance issues the token too): for the README's comparison.
                        var (_, _, signedIn) = await StartOnceAsync(apiExecutable, azurite, tables, tokens.Key, http => Ladder.SignInAsync(http, "alice@contoso.test"));
                        apiLocalSignIn.Add(signedIn);
                    }
                }
            }
            progress($"start-up round {round}/{options.Starts}");
        }
        return new StartupResult(api, empty, apiCpu, emptyCpu, apiSignedIn, apiLocalSignIn);
    }

    /// <remarks>
    /// For the API, also the time to the first signed-in answer (GET /api/me with the token <paramref name="signIn"/>
    /// gives, null for the empty app): work the API leaves until a user first needs it — token validation, the storage
    /// client — shows up there, not hidden.
    /// </remarks>
    private static async Task<(double Ms, double CpuMs, double SignedInMs)> StartOnceAsync(string executable, AzuriteServer azurite,
        string tables, string key, Func<HttpClient, Task<string>>? signIn)
    {
        var port = Ports.Free();
        using var http = FunctionsHost.Client(port);
        using var process = FunctionsHost.Start(executable, port, azurite.ConnectionString, tables, SignInKey(key));
        var ready = await FunctionsHost.WaitUntilReadyAsync(http, process, TimeSpan.FromSeconds(30));
        var cpu = process.CpuTime().TotalMilliseconds;
        if (signIn is null)
        {
            return (ready.TotalMilliseconds, cpu, double.NaN);
        }
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        me.Headers.Authorization = new("Bearer", await signIn(http));
        using var answer = await http.SendAsync(me);
        answer.EnsureSuccessStatusCode();
        return (ready.TotalMilliseconds, cpu, Stopwatch.GetElapsedTime(process.StartedAt).TotalMilliseconds);
    }

    private static Dictionary<string, string> SignInKey(string key) => new() { [Api.Identity.DevelopmentSignIn.LocalTokenIssuer.KeySetting] = key };

    /// <summary>
    /// Tokens the API's local sign-in would issue, issued here with a key the bench gives the API: the audience and
    /// scope come from the published API's own settings, and the user from its development directory.
    /// </summary>
    private sealed class ForeignTokens
    {
        private readonly Api.Identity.DevelopmentSignIn.LocalTokenIssuer _issuer;
        private readonly IConfiguration _settings;

        public ForeignTokens(string apiDirectory)
        {
            Key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            _settings = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(apiDirectory, "appsettings.json"))
                .AddJsonFile(Path.Combine(apiDirectory, "appsettings.Development.json"))
                .AddInMemoryCollection(SignInKey(Key)!)
                .Build();
            _issuer = new Api.Identity.DevelopmentSignIn.LocalTokenIssuer(_settings, TimeProvider.System);
        }

        public string Key { get; }

        public string For(string email)
        {
            var users = _settings.GetSection(Api.Identity.DevelopmentDirectoryOptions.Section).Get<Api.Identity.DevelopmentDirectoryOptions>()
                ?? throw new InvalidOperationException("The published API has no development directory.");
            var user = users.Users.Single(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase));
            return _issuer.Issue(user.TenantId, user.ObjectId, user.Email, user.DisplayName);
        }
    }
}

internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
