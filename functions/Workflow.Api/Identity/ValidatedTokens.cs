using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
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
public sealed class ValidatedTokens(TimeProvider time)
{
    /// <summary>How long a validation is trusted before the token is checked again (key rollover, withdrawn keys).</summary>
    public static readonly TimeSpan LongestReuse = TimeSpan.FromMinutes(5);

    /// <summary>Tokens kept at most; past it the cache is emptied and fills again (a burst of many users costs one full round of validation).</summary>
    public const int Capacity = 10_000;

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
        var now = time.GetUtcNow();
        var until = now + LongestReuse;
        if (result.SecurityToken.ValidTo is var expires && expires != DateTime.MinValue && new DateTimeOffset(expires, TimeSpan.Zero) < until)
        {
            until = new DateTimeOffset(expires, TimeSpan.Zero);
        }
        if (until <= now)
        {
            return;
        }
        if (_entries.Count >= Capacity)
        {
            // Dropping everything is crude but bounded and cheap; expired entries are also dropped as they are met.
            _entries.Clear();
        }
        // The claims are worked out once, here, so requests that reuse the result only read them.
        _ = result.ClaimsIdentity;
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
