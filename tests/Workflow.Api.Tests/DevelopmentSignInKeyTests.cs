using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// The local sign-in's key: this process's own by default, so a token from another process is refused; a configured
/// one (DevelopmentSignIn:Key) shared by two processes lets one validate what the other issued — as a cold instance
/// validates Entra's tokens, which is how scripts/bench.sh times its first signed-in answer.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class DevelopmentSignInKeyTests(Azurite azurite)
{
    private static readonly string SharedKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_token_is_accepted_by_another_process_only_when_both_were_given_the_same_key()
    {
        await using var issuer = WithKey(SharedKey);
        await using var sameKey = WithKey(SharedKey);
        await using var ownKey = new ApiFactory(azurite);
        var token = await TokenFromAsync(issuer, "alice@contoso.test");

        using var accepted = await GetMeAsync(sameKey, token);
        using var refused = await GetMeAsync(ownKey, token);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("alice@contoso.test", JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["email"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("too-short")]
    [InlineData("c2hvcnQ=")]
    public void A_configured_key_that_is_not_base64_of_32_bytes_stops_the_start(string key)
    {
        using var api = WithKey(key);

        var error = Assert.Throws<InvalidOperationException>(() => api.CreateClient());
        Assert.Contains("DevelopmentSignIn:Key", error.Message, StringComparison.Ordinal);
    }

    private ApiFactory WithKey(string key) => new(azurite, settings: new Dictionary<string, string?> { ["DevelopmentSignIn:Key"] = key });

    private static async Task<string> TokenFromAsync(ApiFactory api, string email)
    {
        using var client = api.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/dev/token", new { email });
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    private static async Task<HttpResponseMessage> GetMeAsync(ApiFactory api, string token)
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/api/me");
    }
}
