using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// The production token pipeline with nothing of it replaced: Microsoft.Identity.Web fetches Entra's OpenID metadata
/// and signing keys and validates the issuer with its own multi-tenant issuer validator. Only the network is a
/// stand-in (<see cref="FakeEntra"/>, serving Entra's documents at Entra's addresses), since there is none here.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class ProductionTokenPipelineTests(Azurite azurite) : IAsyncLifetime
{
    private const string Audience = "api://workflow-test";
    private const string AllowedTenant = "11111111-1111-1111-1111-111111111111";
    private const string OtherTenant = "22222222-2222-2222-2222-222222222222";
    private static readonly RsaSecurityKey EntraKey = new(RSA.Create(2048)) { KeyId = "entra-key-1" };
    /// <remarks>
    /// One for the process: Microsoft.IdentityModel keeps one issuer validator per authority in a static cache, with
    /// the HTTP client it was first made with. This class uses an authority of its own ("common"), so the validator it
    /// meets is one made on this stand-in, whichever test class ran first.
    /// </remarks>
    private static readonly FakeEntra Entra = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private ApiFactory _api = null!;

    public Task InitializeAsync()
    {
        _api = new ApiFactory(azurite, "Production", services =>
        {
            // Configure, not PostConfigure: the framework still builds its own metadata retrieval on this handler.
            services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = Entra);
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                var inner = o.Events?.OnAuthenticationFailed;
                o.Events ??= new JwtBearerEvents();
                o.Events.OnAuthenticationFailed = async c => { _failures.Enqueue(c.Exception.ToString()); if (inner is not null) { await inner(c); } };
            });
            // Microsoft.Identity.Web's issuer validator reads Entra's metadata through the named client its options give.
            services.Configure<Microsoft.Identity.Web.AadIssuerValidatorOptions>(o => o.HttpClientName = "entra");
            services.AddHttpClient("entra").ConfigurePrimaryHttpMessageHandler(() => Entra);
        }, new Dictionary<string, string?>
        {
            ["AzureAd:TenantId"] = "common",
            ["AzureAd:ClientId"] = "5b1c1a3e-0000-0000-0000-000000000001",
            ["AzureAd:Audience"] = Audience,
            ["Access:AllowedTenants:0"] = AllowedTenant,
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_token_Entra_issued_in_an_allowed_tenant_passes_the_real_issuer_validator()
    {
        using var client = ClientWith(Token(AllowedTenant));

        var response = await client.GetAsync("/api/workflows");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} {response.Headers.WwwAuthenticate}; Entra asked for: {string.Join(", ", Entra.Requested)}; {string.Join("\n", _failures.Take(1))}");
        Assert.Contains(Entra.Requested, u => u.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> ForgedIssuers => new()
    {
        { "another tenant's issuer for this tenant's token", $"https://login.microsoftonline.com/{OtherTenant}/v2.0" },
        { "a look-alike host", $"https://login.microsoftonline.com.evil.test/{AllowedTenant}/v2.0" },
        { "the v1 issuer of another tenant", $"https://sts.windows.net/{OtherTenant}/" },
        { "the template itself", "https://login.microsoftonline.com/{tenantid}/v2.0" },
        { "no tenant", "https://login.microsoftonline.com//v2.0" },
    };

    [Theory]
    [MemberData(nameof(ForgedIssuers))]
    public async Task A_token_whose_issuer_does_not_match_its_tenant_is_refused_by_the_real_validator(string why, string issuer)
    {
        using var client = ClientWith(Token(AllowedTenant, issuer));

        var response = await client.GetAsync("/api/workflows");

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {response.StatusCode}");
    }

    private HttpClient ClientWith(string token)
    {
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Token(string tenant, string? issuer = null) => EntraDocuments.AccessToken(EntraKey, Audience, tenant, issuer);

    /// <summary>
    /// Entra's public documents, at Entra's addresses: OpenID metadata for any authority, and the signing keys — each
    /// naming its issuer template, as Entra's do (the validator checks the key's issuer too).
    /// </summary>
    private sealed class FakeEntra : HttpMessageHandler
    {
        public ConcurrentQueue<string> Requested { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            Requested.Enqueue(url);
            var path = request.RequestUri.AbsolutePath;
            if (request.RequestUri.Host != "login.microsoftonline.com")
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }
            if (path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
            {
                var v1 = !path.Contains("/v2.0/", StringComparison.Ordinal);
                var issuer = v1 ? "https://sts.windows.net/{tenantid}/" : "https://login.microsoftonline.com/{tenantid}/v2.0";
                return Task.FromResult(EntraDocuments.OpenIdConfiguration("common", issuer));
            }
            if (path.EndsWith("/keys", StringComparison.Ordinal))
            {
                return Task.FromResult(EntraDocuments.SigningKeys(EntraKey, "https://login.microsoftonline.com/{tenantid}/v2.0"));
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }
}
