using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Workflow.Api.Features;
using Workflow.Api.Identity;

namespace Workflow.Api.Hosting;

public sealed class WriteRateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Writes one user may burst before being slowed.</summary>
    public int WriteBurst { get; set; } = 60;

    /// <summary>Writes per minute one user may sustain.</summary>
    public int WritesPerMinute { get; set; } = 120;
}

/// <summary>
/// Per-user rate limiting of writes (a token bucket per (tid, oid)): one person — or one runaway script with their
/// token — cannot flood storage. Reads are not limited here. Beyond the limit: 429 problem details with Retry-After.
/// </summary>
public static class WriteRateLimits
{
    public const string Policy = "writes";

    public static IServiceCollection AddWriteRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(WriteRateLimitOptions.Section).Get<WriteRateLimitOptions>() ?? new();
        return services.AddRateLimiter(options =>
        {
            options.AddPolicy(Policy, context => RateLimitPartition.GetTokenBucketLimiter(
                CallerIdentity.UserOf(context.User)?.ToString() ?? "anonymous",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.WriteBurst,
                    TokensPerPeriod = Math.Max(1, limits.WritesPerMinute / 6),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(10),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(10);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.Problem(429, "too-many-writes", "Too many changes in a short time.",
                        $"Slow down: try again in {seconds} s.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }
}
