using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// The Production pipeline: Microsoft.Identity.Web validating tokens, the required scope and the tenant allow-list.
/// Entra's signing keys and issuer metadata are replaced by a test key (there is no network here); everything
/// after that is the real pipeline.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class ProductionIdentityTests(Azurite azurite) : IAsyncLifetime
{
    private const string Audience = "api://workflow-test";
    private const string AllowedTenant = "11111111-1111-1111-1111-111111111111";
    private const string OtherTenant = "22222222-2222-2222-2222-222222222222";
    private static readonly RsaSecurityKey EntraKey = new(RSA.Create(2048)) { KeyId = "entra" };
    private static readonly RsaSecurityKey ForgedKey = new(RSA.Create(2048)) { KeyId = "entra" };

    private readonly ApiFactory _api = new(azurite, "Production", services => services
        .AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
        .PostConfigure(options =>
        {
            // Stands in for Entra's published metadata: its signing keys.
            var metadata = new OpenIdConnectConfiguration();
            metadata.SigningKeys.Add(EntraKey);
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata);
            options.TokenValidationParameters.IssuerValidator = (issuer, token, _) =>
                token is JsonWebToken jwt && issuer == $"https://login.microsoftonline.com/{jwt.GetClaim("tid").Value}/v2.0"
                    ? issuer
                    : throw new SecurityTokenInvalidIssuerException("Not an Entra issuer.");
        }),
        new Dictionary<string, string?>
        {
            ["AzureAd:ClientId"] = "5b1c1a3e-0000-0000-0000-000000000001",
            ["AzureAd:Audience"] = Audience,
            ["Access:AllowedTenants:0"] = AllowedTenant,
        });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_development_sign_in_does_not_exist_in_production()
    {
        using var client = _api.CreateClient();
        var response = await client.PostAsJsonAsync("/api/dev/token", new { email = "alice@contoso.test" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_token_from_an_allowed_tenant_with_the_scope_is_accepted()
    {
        using var client = ClientWith(Token());
        var response = await client.GetAsync("/api/workflows");
        Assert.True(HttpStatusCode.OK == response.StatusCode, response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_workflow_opened_in_production_is_visible_to_its_opener_only()
    {
        using var alice = ClientWith(Token(objectId: "aaaaaaaa-0000-0000-0000-000000000001"));
        using var eve = ClientWith(Token(objectId: "eeeeeeee-0000-0000-0000-000000000005"));
        var opened = await alice.OpenAsync(new { concern = "Prod check", customer = "me", performer = "bob@contoso.test" });
        Assert.Equal(HttpStatusCode.Created, opened.Status);
        Assert.True(opened.Body!["performer"]!["pending"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/workflows/{opened.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync($"/api/workflows/{opened.Id}")).StatusCode);
    }

    public static TheoryData<string, string, HttpStatusCode> RefusedTokens => new()
    {
        { "no token", "", HttpStatusCode.Unauthorized },
        { "wrong audience", Token(audience: "api://someone-else"), HttpStatusCode.Unauthorized },
        { "expired", Token(expires: DateTime.UtcNow.AddMinutes(-10)), HttpStatusCode.Unauthorized },
        { "forged signature", Token(key: ForgedKey), HttpStatusCode.Unauthorized },
        { "unsigned (alg none)", Unsigned(), HttpStatusCode.Unauthorized },
        { "issuer of another tenant", Token(issuerTenant: OtherTenant), HttpStatusCode.Unauthorized },
        { "tenant not allowed", Token(tenant: OtherTenant, issuerTenant: OtherTenant), HttpStatusCode.Forbidden },
        { "missing scope", Token(scope: "User.Read"), HttpStatusCode.Forbidden },
        { "no object id", Token(objectId: null), HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Bad_tokens_are_refused(string why, string token, HttpStatusCode expected)
    {
        using var client = ClientWith(token);
        var response = await client.GetAsync("/api/workflows");
        Assert.True(expected == response.StatusCode, $"{why}: expected {expected}, got {response.StatusCode}");
    }

    private HttpClient ClientWith(string token)
    {
        var client = _api.CreateClient();
        if (token.Length > 0)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    private static string Token(
        string audience = Audience, string tenant = AllowedTenant, string? issuerTenant = null, string scope = "access_as_user",
        string? objectId = "aaaaaaaa-0000-0000-0000-000000000001", DateTime? expires = null, SecurityKey? key = null)
    {
        var claims = new List<Claim> { new("tid", tenant), new("scp", scope), new("ver", "2.0"), new("name", "Test User") };
        if (objectId is not null)
        {
            claims.Add(new Claim("oid", objectId));
        }
        var expiry = expires ?? DateTime.UtcNow.AddHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = $"https://login.microsoftonline.com/{issuerTenant ?? tenant}/v2.0",
            Audience = audience,
            IssuedAt = expiry.AddHours(-2),
            NotBefore = expiry.AddHours(-2),
            Expires = expiry,
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(key ?? EntraKey, SecurityAlgorithms.RsaSha256),
        });
    }

    private static string Unsigned()
    {
        var signed = Token();
        var parts = signed.Split('.');
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return $"{header}.{parts[1]}.";
    }
}
