using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Workflow.Api.Identity;

/// <summary>
/// Bearer tokens this process has validated, kept briefly so the same token is not parsed, checked and turned into
/// claims again on every request: a pane sends one token for an hour, and validating it allocated about 13.6 KB per
/// request, more than half of a raw storage read (scripts/bench.sh, issue 17). docs/decisions/0018.
/// </summary>
/// <remarks>
/// Only a token that passed full validation is kept, under its exact text, and for at most <see cref="LongestReuse"/> and
/// never past its own expiry: a token refused is validated afresh every time. What is reused is the validated token and
/// its claims, read-only; the scope, the tenant allow-list and the caller's binding are still checked on every request
/// (the user policy, Authentication.cs). The cost of reuse: a token signed by a key Entra withdraws stays accepted here
/// for up to <see cref="LongestReuse"/>, as a signing key that rolled over would be until the next metadata refresh.
/// </remarks>
public sealed class ValidatedTokens(TimeProvider time, AccessOptions access)
{
    /// <summary>How long a validation is trusted before the token is checked again (key rollover, withdrawn keys).</summary>
    public static readonly TimeSpan LongestReuse = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Tokens kept at most (one each for the people using an instance within <see cref="LongestReuse"/>). When full,
    /// expired entries go first; if none has, everything goes and the cache fills again: a burst of many people costs one
    /// round of full validation, and memory stays bounded (a kept token and its claims are a few KB).
    /// </summary>
    public const int Capacity = 2_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    internal bool TryGet(string token, out TokenValidationResult result)
    {
        if (_entries.TryGetValue(token, out var entry))
        {
            if (time.GetUtcNow() < entry.Until)
            {
                result = entry.Result;
                return true;
            }
            _entries.TryRemove(new KeyValuePair<string, Entry>(token, entry));
        }
        result = null!;
        return false;
    }

    internal void Keep(string token, TokenValidationResult result)
    {
        // The validator accepts any organisation's token for our audience (multi-tenant); only a token the user policy
        // would let through is worth keeping, so people from other tenants, or without our scope, cannot fill the cache.
        var claims = result.ClaimsIdentity;
        if (claims.FindFirst("tid")?.Value is not { } tenant || !access.AllowedTenants.Contains(tenant, StringComparer.OrdinalIgnoreCase)
            || claims.FindFirst("scp")?.Value.Split(' ').Contains(access.RequiredScope, StringComparer.Ordinal) != true)
        {
            return;
        }
        // An encrypted token's expiry is in the token inside it; with none found, nothing is kept.
        var expires = (result.SecurityToken as JsonWebToken)?.InnerToken?.ValidTo ?? result.SecurityToken.ValidTo;
        if (expires == DateTime.MinValue)
        {
            return;
        }
        var now = time.GetUtcNow();
        var until = new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc));
        if (now + LongestReuse < until)
        {
            until = now + LongestReuse;
        }
        if (until <= now)
        {
            return;
        }
        if (_entries.Count >= Capacity)
        {
            foreach (var (key, entry) in _entries)
            {
                if (entry.Until <= now)
                {
                    _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                }
            }
            if (_entries.Count >= Capacity)
            {
                _entries.Clear();
            }
        }
        // The claims were worked out above, once: requests that reuse the result only read them. Nothing here adds a
        // claim to an identity (no IClaimsTransformation: ValidatedTokensTests holds that), so sharing it is safe.
        _entries[token] = new Entry(result, until);
    }

    private sealed record Entry(TokenValidationResult Result, DateTimeOffset Until);

    /// <summary>Wraps the bearer scheme's token handlers (Microsoft.Identity.Web's) so each consults the cache first.</summary>
    internal sealed class Wiring(ValidatedTokens cache) : IPostConfigureOptions<JwtBearerOptions>
    {
        public void PostConfigure(string? name, JwtBearerOptions options)
        {
            if (name != JwtBearerDefaults.AuthenticationScheme)
            {
                return;
            }
            for (var i = 0; i < options.TokenHandlers.Count; i++)
            {
                if (options.TokenHandlers[i] is not CachingHandler)
                {
                    options.TokenHandlers[i] = new CachingHandler(options.TokenHandlers[i], cache);
                }
            }
        }
    }

    internal sealed class CachingHandler(TokenHandler inner, ValidatedTokens cache) : TokenHandler
    {
        public override int MaximumTokenSizeInBytes
        {
            get => inner.MaximumTokenSizeInBytes;
            set => inner.MaximumTokenSizeInBytes = value;
        }

        public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

        public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            if (cache.TryGet(token, out var kept))
            {
                return kept;
            }
            var result = await inner.ValidateTokenAsync(token, validationParameters);
            if (result.IsValid)
            {
                cache.Keep(token, result);
            }
            return result;
        }

        public override Task<TokenValidationResult> ValidateTokenAsync(SecurityToken token, TokenValidationParameters validationParameters) =>
            inner.ValidateTokenAsync(token, validationParameters);
    }
}
