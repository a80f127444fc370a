using System.Diagnostics;
using System.Reflection;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>Every Bicep file builds and lints clean, offline, with the linter's rules at error (infra/bicepconfig.json).</summary>
public sealed class InfraTests
{
    public static TheoryData<string> BicepFiles => [.. Directory.GetFiles(Path.Combine(RepoRoot.Path, "infra"), "*.bicep", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(RepoRoot.Path, f))];

    [Theory]
    [MemberData(nameof(BicepFiles))]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // The CLI comes from the linux-x64 package.
    public void Bicep_builds_and_lints_without_a_diagnostic(string file)
    {
        Assert.Equal((0, ""), Bicep("build", file, "--stdout"));
        Assert.Equal((0, ""), Bicep("lint", file));
    }

    [Fact]
    public void The_linter_treats_its_rules_as_errors() =>
        Assert.Contains("\"level\": \"error\"", File.ReadAllText(Path.Combine(RepoRoot.Path, "infra", "bicepconfig.json")));

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static (int ExitCode, string Diagnostics) Bicep(string verb, string file, string? extra = null)
    {
        var packages = typeof(InfraTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;
        var cli = Path.Combine(packages, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep");
        // NuGet does not always keep the execute bit when it unpacks.
        File.SetUnixFileMode(cli, File.GetUnixFileMode(cli) | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo(cli)
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in extra is null ? [verb, file] : new[] { verb, file, extra })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        var diagnostics = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, diagnostics.Trim());
    }
}
