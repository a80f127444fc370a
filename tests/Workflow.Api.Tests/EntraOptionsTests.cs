using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Identity.Abstractions;
using Workflow.Api.Identity;

namespace Workflow.Api.Tests;

/// <summary>
/// The app registration's settings reach Microsoft.Identity.Web through our own binding (ADR 0019): what the deployment
/// sets (infra/main.bicep, infra/modules/functionapp.bicep) must arrive, and the configured audience must be the one
/// tokens are held to, which the library's AOT path alone would not do.
/// </summary>
public sealed class EntraOptionsTests
{
    private static EntraOptions Bound(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(EntraOptions.Section).Get<EntraOptions>()!;

    [Fact]
    public void What_the_deployment_sets_reaches_the_identity_library()
    {
        var entra = Bound(new()
        {
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
            ["AzureAd:TenantId"] = "organizations",
            ["AzureAd:ClientId"] = "5b1c1a3e-0000-0000-0000-000000000001",
            ["AzureAd:Audience"] = "api://5b1c1a3e-0000-0000-0000-000000000001",
            ["AzureAd:ClientCredentials:0:SourceType"] = "SignedAssertionFromManagedIdentity",
            ["AzureAd:ClientCredentials:0:ManagedIdentityClientId"] = "0f0f0f0f-0000-0000-0000-000000000002",
        });
        var options = new MicrosoftIdentityApplicationOptions();

        entra.ApplyTo(options);

        Assert.Equal("https://login.microsoftonline.com/", options.Instance);
        Assert.Equal("organizations", options.TenantId);
        Assert.Equal("5b1c1a3e-0000-0000-0000-000000000001", options.ClientId);
        var credential = Assert.Single(options.ClientCredentials!);
        Assert.Equal(CredentialSource.SignedAssertionFromManagedIdentity, credential.SourceType);
        Assert.Equal("0f0f0f0f-0000-0000-0000-000000000002", credential.ManagedIdentityClientId);
    }

    [Fact]
    public void Tokens_are_held_to_the_configured_audience_and_the_library_decides_when_there_is_none()
    {
        var configured = new JwtBearerOptions();
        Bound(new() { ["AzureAd:Audience"] = "api://workflow-test" }).ApplyTo(configured);
        var unset = new JwtBearerOptions();
        Bound(new() { ["AzureAd:ClientId"] = "5b1c1a3e-0000-0000-0000-000000000001" }).ApplyTo(unset);

        Assert.Equal("api://workflow-test", configured.TokenValidationParameters.ValidAudience);
        Assert.Null(unset.TokenValidationParameters.ValidAudience);
    }
}
