using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// Every Bicep file builds and lints clean, offline, with the linter's rules at error (infra/bicepconfig.json); the API
/// signs in to Entra for its on-behalf-of calls with a federated credential on its managed identity, never a secret.
/// </summary>
public sealed partial class InfraTests
{
    private const string TokenExchangeAudience = "api://AzureADTokenExchange";

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

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_API_signs_in_with_its_user_assigned_managed_identity_and_no_secret()
    {
        var settings = AppSettingNames(FunctionAppSite());

        Assert.Contains(("AzureAd__ClientCredentials__0__SourceType", "'SignedAssertionFromManagedIdentity'"), settings);
        // The identity named is the user-assigned one the module makes (Entra takes no system-assigned identity here).
        Assert.Contains(settings, s => s.Name == "AzureAd__ClientCredentials__0__ManagedIdentityClientId"
            && s.Value.StartsWith("reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities'", StringComparison.Ordinal)
            && s.Value.EndsWith(".clientId", StringComparison.Ordinal));
        // Nowhere in the deployment (main.bicep compiles every module into itself): no secret, password or certificate.
        Assert.DoesNotMatch(SecretLike(), Template("infra/main.bicep").GetRawText());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_Function_App_carries_the_identity_its_credential_trusts()
    {
        var identity = FunctionAppSite().GetProperty("identity");
        Assert.Equal("SystemAssigned, UserAssigned", identity.GetProperty("type").GetString());
        var assigned = Assert.Single(identity.GetProperty("userAssignedIdentities").EnumerateObject());
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", assigned.Name, StringComparison.Ordinal);

        var outputs = Template("infra/main.bicep").GetProperty("outputs");
        Assert.Equal("[format('{0}{1}/v2.0', environment().authentication.loginEndpoint, tenant().tenantId)]",
            outputs.GetProperty("apiCredentialIssuer").GetProperty("value").GetString());
        Assert.Equal("[reference(resourceId('Microsoft.Resources/deployments', 'api'), '2025-04-01').outputs.credentialPrincipalId.value]",
            outputs.GetProperty("apiCredentialSubject").GetProperty("value").GetString());
        Assert.EndsWith(".principalId]", Template("infra/modules/functionapp.bicep").GetProperty("outputs")
            .GetProperty("credentialPrincipalId").GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    [InlineData(false, "create")]
    [InlineData(true, "update")]
    public void The_federation_script_trusts_the_identity_for_the_token_exchange_audience(bool alreadyThere, string verb)
    {
        const string issuer = "https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555/v2.0";
        const string subject = "66666666-7777-4888-9999-000000000000";

        var calls = RunWithStandInAz("infra/federate-api-identity.sh", alreadyThere, "api-client-id", issuer, subject);

        var write = Assert.Single(calls, c => c.Take(4).SequenceEqual(["ad", "app", "federated-credential", verb]));
        Assert.Equal("api-client-id", After(write, "--id"));
        using var credential = JsonDocument.Parse(After(write, "--parameters"));
        Assert.Equal(issuer, credential.RootElement.GetProperty("issuer").GetString());
        Assert.Equal(subject, credential.RootElement.GetProperty("subject").GetString());
        Assert.Equal([TokenExchangeAudience], credential.RootElement.GetProperty("audiences").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public void The_deployment_federates_the_identity_it_provisioned()
    {
        var deploy = File.ReadAllText(Path.Combine(RepoRoot.Path, "scripts", "deploy.sh"));
        Assert.Contains("infra/federate-api-identity.sh \"$api_client_id\" \"$(jq -r .apiCredentialIssuer.value <<<\"$outputs\")\" \"$(jq -r .apiCredentialSubject.value <<<\"$outputs\")\"", deploy, StringComparison.Ordinal);
    }

    /// <summary>Names and ARM expressions of the Function App's app settings, as the compiled module lists them.</summary>
    private static List<(string Name, string Value)> AppSettingNames(JsonElement site)
    {
        var expression = site.GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").GetString()!;
        return [.. expression.Split("createObject('name', '").Skip(1).Select(setting =>
        {
            var name = setting[..setting.IndexOf('\'', StringComparison.Ordinal)];
            var value = setting[(setting.IndexOf("'value', ", StringComparison.Ordinal) + "'value', ".Length)..];
            return (name, value[..EndOfArgument(value)]);
        })];
    }

    /// <summary>Where an ARM expression argument ends: at the first unbalanced ')' outside a string literal.</summary>
    private static int EndOfArgument(string expression)
    {
        var (depth, quoted) = (0, false);
        for (var i = 0; i < expression.Length; i++)
        {
            switch (expression[i])
            {
                case '\'': quoted = !quoted; break;
                case '(' when !quoted: depth++; break;
                case ')' when !quoted && depth-- == 0: return i;
            }
        }
        return expression.Length;
    }

    [GeneratedRegex("secret|password|certificate|clientassertion", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLike();

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static JsonElement FunctionAppSite() => Template("infra/modules/functionapp.bicep").GetProperty("resources")
        .EnumerateArray().Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static JsonElement Template(string file)
    {
        var (exitCode, output, diagnostics) = Run("build", file, "--stdout");
        Assert.True(exitCode == 0, diagnostics);
        using var template = JsonDocument.Parse(output);
        return template.RootElement.Clone();
    }

    private static string After(IReadOnlyList<string> call, string option) => call[call.ToList().IndexOf(option) + 1];

    /// <summary>Runs a script with a stand-in `az` first on PATH; returns each call's arguments.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static List<IReadOnlyList<string>> RunWithStandInAz(string script, bool credentialExists, params string[] arguments)
    {
        var bin = Directory.CreateTempSubdirectory("stand-in-az-").FullName;
        var calls = Directory.CreateDirectory(Path.Combine(bin, "calls")).FullName;
        var az = Path.Combine(bin, "az");
        // One file per call, its arguments separated by NUL (a credential's JSON spans lines).
        File.WriteAllText(az, """
            #!/usr/bin/env bash
            printf '%s\0' "$@" > "$AZ_CALLS/$(printf '%03d' "$(ls "$AZ_CALLS" | wc -l)")"
            [ "$1 $2 $3 $4" = "ad app federated-credential show" ] && exit "$AZ_SHOW_EXIT"
            exit 0
            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepoRoot.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["AZ_CALLS"] = calls;
        start.Environment["AZ_SHOW_EXIT"] = credentialExists ? "0" : "3";
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        return [.. Directory.GetFiles(calls).Order(StringComparer.Ordinal)
            .Select(call => (IReadOnlyList<string>)File.ReadAllText(call).TrimEnd('\0').Split('\0'))];
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static (int ExitCode, string Diagnostics) Bicep(string verb, string file, string? extra = null)
    {
        var (exitCode, _, diagnostics) = Run(verb, file, extra);
        return (exitCode, diagnostics);
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static (int ExitCode, string Output, string Diagnostics) Run(string verb, string file, string? extra = null)
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
        var output = process.StandardOutput.ReadToEndAsync();
        var diagnostics = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, diagnostics.Trim());
    }
}
