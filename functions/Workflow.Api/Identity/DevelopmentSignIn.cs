using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Workflow.Api.Features;

namespace Workflow.Api.Identity;

/// <summary>
/// Local development sign-in: issues a signed token for a user of the development directory. Compiled into Debug
/// builds only, registered only in the Development environment, refusing to start anywhere that looks like Azure, and
/// answering only loopback callers; the tokens go through the same bearer pipeline as Entra's, which in Development
/// also trusts this process's key (docs/decisions/0006).
/// </summary>
public static class DevelopmentSignIn
{
    // Routes
    //   POST /api/dev/token   { "email": "alice@contoso.test" } → { access_token, token_type, expires_in }

    public const string Issuer = "https://workflow.localhost/dev-sign-in";

    /// <summary>
    /// Variables Azure sets in a Function App's processes, whichever plan: every plan (WEBSITE_SITE_NAME,
    /// WEBSITE_HOSTNAME, WEBSITE_OWNER_NAME), App Service and Windows consumption (WEBSITE_INSTANCE_ID), Flex
    /// Consumption (WEBSITE_SKU = FlexConsumption, WEBSITE_POD_NAME, LEGION_SERVICE_HOST), and any host with a managed
    /// identity (IDENTITY_ENDPOINT, MSI_ENDPOINT) — names as azure-functions-host reads them. Not CONTAINER_NAME,
    /// which the host reads for Linux consumption too: ordinary containers set it (this repository's CI does).
    /// </summary>
    public static readonly string[] AzureMarkers =
    [
        "WEBSITE_INSTANCE_ID", "WEBSITE_SITE_NAME", "WEBSITE_HOSTNAME", "WEBSITE_OWNER_NAME", "WEBSITE_SKU", "WEBSITE_POD_NAME",
        "LEGION_SERVICE_HOST", "IDENTITY_ENDPOINT", "MSI_ENDPOINT",
    ];
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static IServiceCollection AddDevelopmentSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        // Behind the Functions host every request arrives from loopback, so the loopback check alone would not
        // protect a deployed app started in Development by mistake: refuse to start where Azure has left its marks.
        if (AzureMarkers.FirstOrDefault(m => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(m))) is { } marker)
        {
            throw new InvalidOperationException($"The Development environment (and its local sign-in) must never run in Azure ({marker} is set).");
        }
        if (configuration[LocalTokenIssuer.KeySetting] is { Length: > 0 })
        {
            _ = LocalTokenIssuer.KeyBytes(configuration); // A configured key that cannot be used stops the start, not the first sign-in.
        }
        services.AddSingleton<LocalTokenIssuer>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<LocalTokenIssuer>((options, issuer) =>
            {
                // This process's key and issuer stand in for Entra's metadata: nothing is downloaded, so it works offline.
                var metadata = new OpenIdConnectConfiguration { Issuer = Issuer };
                metadata.SigningKeys.Add(issuer.Key);
                options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata);
                options.TokenValidationParameters.ValidIssuer = Issuer;
                options.TokenValidationParameters.IssuerValidator = null;
            });
        return services;
    }

    public static void MapDevelopmentSignIn(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/dev/token", IssueToken).AllowAnonymous().ExcludeFromDescription();

    private static Results<Ok<TokenResponse>, ProblemHttpResult, NotFound> IssueToken(
        TokenRequest? request, HttpContext context, DevelopmentDirectory directory, LocalTokenIssuer issuer)
    {
        // Both the connection and the name the caller used must be local: a request forwarded from elsewhere keeps
        // its public Host header.
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote) || !IsLocalHost(context.Request.Host.Host))
        {
            return TypedResults.NotFound();
        }
        if (request?.Email is not { Length: > 0 } email || directory.FindByEmail(email) is not { } user)
        {
            return Problems.Invalid("email must name a user of the development directory (see appsettings.Development.json).");
        }
        var token = issuer.Issue(user.Id.TenantId, user.Id.ObjectId, user.Email, user.DisplayName);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)Lifetime.TotalSeconds));
    }

    private static bool IsLocalHost(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" or "::1" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    public sealed record TokenRequest(string? Email);

    public sealed record TokenResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);

    /// <summary>
    /// Signs local tokens with a key that lives only in this process, so a restart signs everyone out — unless
    /// <c>DevelopmentSignIn:Key</c> (base64, at least 32 bytes) names one, so that a token can come from elsewhere, as
    /// Entra's do: scripts/bench.sh times a cold instance's first signed-in answer with a token it did not issue.
    /// </summary>
    public sealed class LocalTokenIssuer(IConfiguration configuration, TimeProvider time)
    {
        public const string KeySetting = "DevelopmentSignIn:Key";

        public SymmetricSecurityKey Key { get; } = new(KeyBytes(configuration)) { KeyId = "dev-sign-in" };

        internal static byte[] KeyBytes(IConfiguration configuration)
        {
            if (configuration[KeySetting] is not { Length: > 0 } configured)
            {
                return RandomNumberGenerator.GetBytes(32);
            }
            var key = new byte[configured.Length];
            return Convert.TryFromBase64String(configured, key, out var length) && length >= 32
                ? key[..length]
                : throw new InvalidOperationException($"{KeySetting} must be base64 of at least 32 bytes (an HMAC-SHA256 key).");
        }

        public string Issue(string tenantId, string objectId, string email, string displayName)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var audience = configuration["AzureAd:Audience"] ?? configuration["AzureAd:ClientId"];
            var scope = configuration[$"{AccessOptions.Section}:{nameof(AccessOptions.RequiredScope)}"] ?? "access_as_user";
            return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                Audience = audience,
                IssuedAt = now,
                NotBefore = now,
                Expires = now + Lifetime,
                SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
                Subject = new ClaimsIdentity(
                [
                    new Claim("tid", tenantId),
                    new Claim("oid", objectId),
                    new Claim("scp", scope),
                    new Claim("preferred_username", email),
                    new Claim("name", displayName),
                    new Claim("ver", "2.0"),
                ]),
            });
        }
    }
}
