using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// The deployable package (scripts/package.sh) unpacked into an empty folder and run exactly as the Functions host
/// runs it: its own host.json and function.json files, the native handler (compiled ahead of time, ADR 0019) with its
/// execute bit, the port in the environment, GET / until ready, forwarded /api requests, and a timer invocation. The
/// package is a Release build, so it has no development sign-in even when told it runs in Development (ADR 0006): its
/// signed-in loops are <see cref="CustomHandlerTests"/>' (the same code, built in Debug) and the browser tests' (the
/// same code, compiled natively with the local sign-in, scripts/test.sh).
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class PackageTests(Azurite azurite)
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // The package is built for, and run on, Linux.
    public async Task The_package_unpacks_and_runs_as_the_Functions_host_runs_it()
    {
        Run("bash", "scripts/package.sh", RepoRoot.Path);
        var root = Directory.CreateTempSubdirectory("workflow-package-").FullName;
        try
        {
            Run("unzip", $"-q {Path.Combine(RepoRoot.Path, "artifacts", "workflow-functions.zip")} -d {root}", root);

            var host = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "host.json")))!;
            var handler = Path.Combine(root, host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
            Assert.True(File.GetUnixFileMode(handler).HasFlag(UnixFileMode.UserExecute), "The handler lost its execute bit.");
            Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(handler)!, "appsettings.Development.json")));
            Assert.Equal(["HttpApi", "Notifications", "RoleCycles", "WeeklyReview"], Directory.GetDirectories(root).Select(Path.GetFileName).Where(d => d != "handler").Order());

            // No development settings ship, so a local run names its users and keys itself.
            var settings = new Dictionary<string, string>
            {
                ["AzureAd__ClientId"] = "00000000-0000-0000-0000-00000000a11d",
                ["AzureAd__Audience"] = "api://workflow-dev",
                ["Access__AllowedTenants__0"] = "11111111-1111-1111-1111-111111111111",
                ["DevelopmentDirectory__Users__0__Email"] = "alice@contoso.test",
                ["DevelopmentDirectory__Users__0__DisplayName"] = "Alice Archer",
                ["DevelopmentDirectory__Users__0__TenantId"] = "11111111-1111-1111-1111-111111111111",
                ["DevelopmentDirectory__Users__0__ObjectId"] = "aaaaaaaa-0000-0000-0000-000000000001",
                ["Mail__OutboxPath"] = Path.Combine(root, "outbox"),
            };
            await using var app = new HandlerProcess(azurite, "p" + Guid.NewGuid().ToString("N")[..12], settings, appRoot: root);
            await app.StartAsync();
            await using var functionsHost = await FunctionsHostStub.StartAsync(app.Port);
            using var caller = functionsHost.CreatePublicClient();

            // Served: the contract; refused without a token: the user routes; absent: the development sign-in.
            Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/api/openapi.json")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await caller.GetAsync("/api/workflows")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await caller.PostAsync("/api/dev/token",
                new StringContent("""{"email":"alice@contoso.test"}""", Encoding.UTF8, "application/json"))).StatusCode);
            // The API docs (Development only): Scalar's page and scripts ship inside the package and need no network.
            Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/api/docs/")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/api/docs/scalar.js")).StatusCode);
            using var direct = app.CreateClient();
            Assert.Equal(HttpStatusCode.NotFound, (await direct.PostAsync("/api/dev/token",
                new StringContent("""{"email":"alice@contoso.test"}""", Encoding.UTF8, "application/json"))).StatusCode);

            var timer = await functionsHost.InvokeAsync("WeeklyReview", """{"Data":{"timer":"{\"IsPastDue\":false}"},"Metadata":{}}""");
            Assert.Equal(HttpStatusCode.OK, timer.StatusCode);
            Assert.NotNull(JsonNode.Parse(await timer.Content.ReadAsStringAsync())!["Logs"]);

            // The notifications timer, as the host invokes it every minute: it answers the host, and nobody else.
            var notifications = await functionsHost.InvokeAsync("Notifications", """{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""");
            Assert.Equal(HttpStatusCode.OK, notifications.StatusCode);
            Assert.Contains("Notifications:", JsonNode.Parse(await notifications.Content.ReadAsStringAsync())!["Logs"]![0]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.NotFound, (await caller.PostAsync("/api/..%5CNotifications", new StringContent("{}"))).StatusCode);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Run(string program, string arguments, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // A native publish takes ~5 min on 2 cores, longer while other tests run beside it (docs/decisions/0019).
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(20)), $"{program} {arguments} did not finish.");
        Assert.True(process.ExitCode == 0, $"{program} {arguments} failed ({process.ExitCode}): {output.Result}\n{errors.Result}");
    }
}
