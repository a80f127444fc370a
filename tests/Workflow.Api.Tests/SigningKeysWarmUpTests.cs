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
/// In Azure the signing keys are fetched from Entra (OpenID metadata, then JWKS) once the handler has answered the
/// host's readiness probe, so the first signed-in request of a cold instance does not wait for them — and start-up
/// neither waits for that fetch nor fails with it. Entra is a stand-in here (<see cref="FakeEntra"/>) whose answers each
/// test holds, fails or releases.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class SigningKeysWarmUpTests(Azurite azurite) : IAsyncLifetime
{
    private const string Audience = "api://workflow-warm-up";
    private const string Tenant = "11111111-1111-1111-1111-111111111111";
    private static readonly RsaSecurityKey EntraKey = new(RSA.Create(2048)) { KeyId = "entra-warm-up" };
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly FakeEntra _entra = new();
    private ApiFactory _api = null!;

    public Task InitializeAsync()
    {
        _api = new ApiFactory(azurite, "Production", services => services
            .Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = _entra)
            .PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
                // The issuer is checked as ProductionIdentityTests checks it: only the keys come from the stand-in here.
                o.TokenValidationParameters.IssuerValidator = (issuer, _, _) => issuer == $"https://login.microsoftonline.com/{Tenant}/v2.0"
                    ? issuer
                    : throw new SecurityTokenInvalidIssuerException("Not this tenant's issuer.")),
            new Dictionary<string, string?>
            {
                ["AzureAd:TenantId"] = Tenant,
                ["AzureAd:ClientId"] = "5b1c1a3e-0000-0000-0000-000000000002",
                ["AzureAd:Audience"] = Audience,
                ["Access:AllowedTenants:0"] = Tenant,
            });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _entra.Release(EntraAnswer.Serve);
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task The_signing_keys_are_fetched_once_the_host_has_seen_the_handler_ready_before_anyone_signs_in()
    {
        _entra.Release(EntraAnswer.Serve);
        using var host = _api.CreateHostClient();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Empty(_entra.Requested); // The server listens, but the readiness probe has not been answered yet.

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/")).StatusCode);

        await _entra.ServedKeys.Task.WaitAsync(Patience);
        var fetchedAtStart = _entra.Requested.Count;
        Assert.Contains(_entra.Requested, u => u.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal));

        using var client = ClientWith(Token());
        var response = await client.GetAsync("/api/workflows");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} {response.Headers.WwwAuthenticate}");
        Assert.Equal(fetchedAtStart, _entra.Requested.Count);
    }

    [Fact]
    public async Task The_readiness_probe_is_answered_while_the_signing_keys_are_still_on_their_way()
    {
        using var host = _api.CreateHostClient();

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/")).StatusCode);
        await _entra.Asked.Task.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/")).StatusCode);
        Assert.False(_entra.ServedKeys.Task.IsCompleted);
    }

    [Fact]
    public async Task When_the_keys_cannot_be_fetched_at_start_the_app_still_starts_and_the_first_request_fetches_them()
    {
        using var host = _api.CreateHostClient();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/")).StatusCode);
        await _entra.Asked.Task.WaitAsync(Patience);

        _entra.Release(EntraAnswer.Fail);
        await _entra.Failed.Task.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/")).StatusCode);

        _entra.Release(EntraAnswer.Serve);
        using var client = ClientWith(Token());
        var response = await client.GetAsync("/api/workflows");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} {response.Headers.WwwAuthenticate}");
        Assert.True(_entra.ServedKeys.Task.IsCompletedSuccessfully);
    }

    private HttpClient ClientWith(string token)
    {
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Token() => EntraDocuments.AccessToken(EntraKey, Audience, Tenant);

    private enum EntraAnswer
    {
        Serve,
        Fail,
    }

    /// <summary>
    /// Entra's metadata and keys for this tenant. Every request waits until the test says how to answer; a failure is
    /// answered once (the warm-up's attempt), and the answer goes back to waiting for the test.
    /// </summary>
    private sealed class FakeEntra : HttpMessageHandler
    {
        private TaskCompletionSource<EntraAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Requested { get; } = new();

        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ServedKeys { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Answers the requests waiting now, and every later one, with <paramref name="answer"/>.</summary>
        public void Release(EntraAnswer answer)
        {
            if (!Volatile.Read(ref _answer).TrySetResult(answer))
            {
                var answered = new TaskCompletionSource<EntraAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
                answered.SetResult(answer);
                Volatile.Write(ref _answer, answered);
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested.Enqueue(request.RequestUri!.ToString());
            Asked.TrySetResult();
            var answer = await Volatile.Read(ref _answer).Task.WaitAsync(cancellationToken);
            if (answer == EntraAnswer.Fail)
            {
                Volatile.Write(ref _answer, new TaskCompletionSource<EntraAnswer>(TaskCreationOptions.RunContinuationsAsynchronously));
                Failed.TrySetResult();
                return new HttpResponseMessage(HttpStatusCode.InternalServerError);
            }
            var path = request.RequestUri.AbsolutePath;
            if (path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
            {
                return EntraDocuments.OpenIdConfiguration(Tenant, $"https://login.microsoftonline.com/{Tenant}/v2.0");
            }
            if (path.EndsWith("/keys", StringComparison.Ordinal))
            {
                ServedKeys.TrySetResult();
                return EntraDocuments.SigningKeys(EntraKey);
            }
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }
    }
}
