using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Workflow.Api.Identity;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// A token that passed validation is reused for a few minutes instead of being validated again on every request
/// (docs/decisions/0018): never a refused one, never past its expiry or <see cref="ValidatedTokens.LongestReuse"/>, and
/// the user policy still runs on every request.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class ValidatedTokensTests(Azurite azurite)
{
    private const string Tenant = "11111111-1111-1111-1111-111111111111";
    private static readonly SymmetricSecurityKey Key = new(new byte[32]) { KeyId = "test" };
    private static readonly AccessOptions Access = new() { AllowedTenants = [Tenant] };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_valid_token_is_validated_once_and_reused_until_the_reuse_window_ends()
    {
        var inner = new CountingHandler();
        var handler = new ValidatedTokens.CachingHandler(inner, new ValidatedTokens(_time, Access));
        var token = Token(expires: _time.GetUtcNow().AddHours(1));

        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());
        _time.Advance(ValidatedTokens.LongestReuse);
        var third = await handler.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid && second.IsValid && third.IsValid);
        Assert.Same(first, second);
        Assert.Equal(2, inner.Validations);
    }

    [Fact]
    public async Task A_token_is_never_reused_past_its_own_expiry()
    {
        var inner = new CountingHandler();
        var handler = new ValidatedTokens.CachingHandler(inner, new ValidatedTokens(_time, Access));
        var token = Token(expires: _time.GetUtcNow().AddMinutes(2));

        await handler.ValidateTokenAsync(token, Parameters());
        _time.Advance(TimeSpan.FromMinutes(2));
        await handler.ValidateTokenAsync(token, Parameters());

        Assert.Equal(2, inner.Validations);
    }

    [Fact]
    public async Task A_refused_token_is_validated_again_every_time()
    {
        var inner = new CountingHandler();
        var handler = new ValidatedTokens.CachingHandler(inner, new ValidatedTokens(_time, Access));
        var forged = Token(expires: _time.GetUtcNow().AddHours(1), key: new SymmetricSecurityKey(Enumerable.Repeat((byte)7, 32).ToArray()));

        var results = new[] { await handler.ValidateTokenAsync(forged, Parameters()), await handler.ValidateTokenAsync(forged, Parameters()) };

        Assert.All(results, r => Assert.False(r.IsValid));
        Assert.Equal(2, inner.Validations);
    }

    [Theory]
    [InlineData("22222222-2222-2222-2222-222222222222", "access_as_user")]
    [InlineData(Tenant, "something_else")]
    [InlineData(Tenant, null)]
    public async Task A_token_the_user_policy_would_refuse_is_never_kept(string tenant, string? scope)
    {
        // Any organisation's token passes the validator (the API is multi-tenant); the allow-list and scope come after.
        var inner = new CountingHandler();
        var cache = new ValidatedTokens(_time, Access);
        var handler = new ValidatedTokens.CachingHandler(inner, cache);
        var token = Token(expires: _time.GetUtcNow().AddHours(1), tenant: tenant, scope: scope);

        await handler.ValidateTokenAsync(token, Parameters());
        await handler.ValidateTokenAsync(token, Parameters());

        Assert.Equal(2, inner.Validations);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task A_token_without_an_expiry_is_never_kept()
    {
        var inner = new CountingHandler();
        var cache = new ValidatedTokens(_time, Access);
        var handler = new ValidatedTokens.CachingHandler(inner, cache);
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://issuer.test",
            Audience = "api://test",
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity([new Claim("oid", "alice"), new Claim("tid", Tenant), new Claim("scp", "access_as_user")]),
        });
        var parameters = Parameters();
        parameters.RequireExpirationTime = false;

        var results = new[] { await handler.ValidateTokenAsync(token, parameters), await handler.ValidateTokenAsync(token, parameters) };

        Assert.All(results, r => Assert.True(r.IsValid, r.Exception?.Message));
        Assert.Equal(2, inner.Validations);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_cache_holds_no_more_than_its_capacity_and_makes_room_from_expired_entries_first()
    {
        var cache = new ValidatedTokens(_time, Access);
        var token = new JsonWebToken(Token(_time.GetUtcNow().AddHours(1)));
        var result = new TokenValidationResult { IsValid = true, SecurityToken = token, ClaimsIdentity = new ClaimsIdentity(token.Claims) };

        for (var i = 0; i < ValidatedTokens.Capacity - 1; i++)
        {
            cache.Keep($"early-{i}", result);
        }
        _time.Advance(ValidatedTokens.LongestReuse);
        cache.Keep("recent", result);
        cache.Keep("newest", result); // Full: the expired early ones go, the recent one stays.

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet("recent", out _));

        for (var i = 0; i <= ValidatedTokens.Capacity; i++)
        {
            cache.Keep($"burst-{i}", result);
        }
        Assert.InRange(cache.Count, 1, ValidatedTokens.Capacity);
    }

    [Fact]
    public async Task The_API_wraps_every_bearer_token_handler_and_still_refuses_what_it_should()
    {
        await using var api = new ApiFactory(azurite);
        var options = api.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        Assert.NotEmpty(options.TokenHandlers);
        Assert.All(options.TokenHandlers, h => Assert.IsType<ValidatedTokens.CachingHandler>(h));
        // A kept token's claims are shared by every request that reuses it: nothing may add to them.
        Assert.DoesNotContain(api.Services.GetServices<Microsoft.AspNetCore.Authentication.IClaimsTransformation>(),
            t => t.GetType() != typeof(Microsoft.AspNetCore.Authentication.NoopClaimsTransformation));

        using var alice = await api.SignedInAsync("alice@contoso.test");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetJsonAsync("/api/me")).Status);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetJsonAsync("/api/me")).Status);
        Assert.Equal(1, api.Services.GetRequiredService<ValidatedTokens>().Count);

        // The same token with its signature cut is another text: validated, and refused.
        var token = alice.DefaultRequestHeaders.Authorization!.Parameter!;
        using var cut = api.CreateClient();
        cut.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..(token.LastIndexOf('.') + 1)]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cut.GetAsync("/api/me")).StatusCode);
        Assert.Equal(1, api.Services.GetRequiredService<ValidatedTokens>().Count);
    }

    private static TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = "https://issuer.test",
        ValidAudience = "api://test",
        IssuerSigningKey = Key,
        // The handler's own lifetime check reads the real clock; the reuse window is what this test moves.
        ValidateLifetime = false,
    };

    private string Token(DateTimeOffset expires, SecurityKey? key = null, string tenant = Tenant, string? scope = "access_as_user") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "https://issuer.test",
        Audience = "api://test",
        IssuedAt = _time.GetUtcNow().UtcDateTime.AddMinutes(-1),
        NotBefore = _time.GetUtcNow().UtcDateTime.AddMinutes(-1),
        Expires = expires.UtcDateTime,
        SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
        Subject = new ClaimsIdentity(new[] { new Claim("oid", "alice"), new Claim("tid", tenant) }
            .Concat(scope is null ? [] : [new Claim("scp", scope)])),
    });

    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _real = new();

        public int Validations { get; private set; }

        public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Validations++;
            return await _real.ValidateTokenAsync(token, validationParameters);
        }
    }
}
