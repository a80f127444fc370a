using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>
/// What Entra publishes and issues, as stand-ins for the production token pipeline's tests: the OpenID metadata of an
/// authority, its signing keys (JWKS), and an access token for this API signed with one of them.
/// </summary>
public static class EntraDocuments
{
    /// <summary>The OpenID metadata of <paramref name="authority"/> ("common" or a tenant id), naming <paramref name="issuer"/>.</summary>
    public static HttpResponseMessage OpenIdConfiguration(string authority, string issuer) => Json($$"""
        {"issuer":"{{issuer}}","jwks_uri":"https://login.microsoftonline.com/{{authority}}/discovery/v2.0/keys",
         "authorization_endpoint":"https://login.microsoftonline.com/{{authority}}/oauth2/v2.0/authorize",
         "token_endpoint":"https://login.microsoftonline.com/{{authority}}/oauth2/v2.0/token",
         "id_token_signing_alg_values_supported":["RS256"],"response_types_supported":["code"],"subject_types_supported":["pairwise"]}
        """);

    /// <summary>The JWKS holding <paramref name="key"/>; Entra's keys each name the issuer template they sign for.</summary>
    public static HttpResponseMessage SigningKeys(RsaSecurityKey key, string? issuer = null)
    {
        var rsa = key.Rsa.ExportParameters(false);
        var issuerMember = issuer is null ? "" : $"\"issuer\":\"{issuer}\",";
        return Json($$"""
            {"keys":[{"kty":"RSA","use":"sig","kid":"{{key.KeyId}}",{{issuerMember}}"n":"{{Base64UrlEncoder.Encode(rsa.Modulus!)}}","e":"{{Base64UrlEncoder.Encode(rsa.Exponent!)}}"}]}
            """);
    }

    /// <summary>An access token for <paramref name="audience"/> with the API's scope, from <paramref name="tenant"/> (its v2.0 issuer unless another is named).</summary>
    public static string AccessToken(RsaSecurityKey key, string audience, string tenant, string? issuer = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? $"https://login.microsoftonline.com/{tenant}/v2.0",
            Audience = audience,
            IssuedAt = now.AddMinutes(-5),
            NotBefore = now.AddMinutes(-5),
            Expires = now.AddHours(1),
            Subject = new ClaimsIdentity([new("tid", tenant), new("scp", "access_as_user"), new("ver", "2.0"), new("oid", "aaaaaaaa-0000-0000-0000-000000000001")]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private static HttpResponseMessage Json(string json) =>
        new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
