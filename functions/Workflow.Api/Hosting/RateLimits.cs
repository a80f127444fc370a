using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Workflow.Api.Features;
using Workflow.Api.Identity;
using Workflow.Domain;

namespace Workflow.Api.Hosting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Writes one user may burst before being slowed.</summary>
    public int WriteBurst { get; set; } = 60;

    /// <summary>Writes per minute one user may sustain.</summary>
    public int WritesPerMinute { get; set; } = 120;

    /// <summary>Reads one user may burst (a pane opening reads a handful at once).</summary>
    public int ReadBurst { get; set; } = 300;

    /// <summary>Reads per minute one user may sustain.</summary>
    public int ReadsPerMinute { get; set; } = 600;

    /// <summary>Requests without a user (the OpenAPI document, the local sign-in) this instance answers in a burst, all callers together.</summary>
    public int AnonymousBurst { get; set; } = 60;

    /// <summary>Requests without a user per minute, all callers together.</summary>
    public int AnonymousPerMinute { get; set; } = 120;

    /// <summary>Requests one personal link may burst (someone outside the organisation, acting from a mail).</summary>
    public int GuestLinkBurst { get; set; } = 30;

    /// <summary>Requests per minute one personal link may sustain.</summary>
    public int GuestLinkPerMinute { get; set; } = 60;

    /// <summary>Requests all personal links together may burst on this instance (made-up tokens included).</summary>
    public int AllGuestLinksBurst { get; set; } = 300;

    /// <summary>Requests per minute all personal links together may sustain on this instance.</summary>
    public int AllGuestLinksPerMinute { get; set; } = 600;
}

/// <summary>
/// Every request from the internet is rate limited, one mechanism for all: a token bucket per signed-in user for
/// their writes and another for their reads, so one person — or a runaway script with their token — cannot flood
/// storage; and one bucket shared by everything anonymous. Behind the Functions host every caller's address is
/// loopback, so anonymous callers cannot be told apart: they share a bucket, which bounds what they cost without
/// touching signed-in users. The host's own requests (outside /api/) are never limited. Beyond a limit: 429 problem
/// details with Retry-After, and nothing done.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new();
        // Made once: a partition's options are asked for on every request, though used only when its bucket is new.
        var reads = Bucket(limits.ReadBurst, limits.ReadsPerMinute);
        var writes = Bucket(limits.WriteBurst, limits.WritesPerMinute);
        var anonymous = Bucket(limits.AnonymousBurst, limits.AnonymousPerMinute);
        var perLink = Bucket(limits.GuestLinkBurst, limits.GuestLinkPerMinute);
        var allLinksTogether = Bucket(limits.AllGuestLinksBurst, limits.AllGuestLinksPerMinute);
        return services.AddRateLimiter(options =>
        {
            var perCaller = PartitionedRateLimiter.Create<HttpContext, BucketKey>(context =>
            {
                if (!HostOnlyRoutes.IsPublic(context.Request))
                {
                    return RateLimitPartition.GetNoLimiter(BucketKey.Host);
                }
                if (CallerIdentity.UserOf(context) is not { } user)
                {
                    // A personal link on its own routes gets a bucket of its own, so one holder cannot use up another's;
                    // anything else — a link header on another route, or none — shares the anonymous bucket.
                    return GuestLink(context) is { } link
                        ? RateLimitPartition.GetTokenBucketLimiter(new BucketKey("link", Link: Application.GuestTokens.Hash(link)), perLink)
                        : RateLimitPartition.GetTokenBucketLimiter(BucketKey.Anonymous, anonymous);
                }
                return IsRead(context.Request)
                    ? RateLimitPartition.GetTokenBucketLimiter(new BucketKey("read", user), reads)
                    : RateLimitPartition.GetTokenBucketLimiter(new BucketKey("write", user), writes);
            });
            // Tokens cost nothing to make up: every link's requests also draw on one shared bucket, so inventing tokens
            // buys no more than the links' share of the instance (and bounds how many per-link buckets exist at once).
            var allLinks = PartitionedRateLimiter.Create<HttpContext, BucketKey>(context =>
                GuestLink(context) is not null && CallerIdentity.UserOf(context) is null
                    ? RateLimitPartition.GetTokenBucketLimiter(BucketKey.AllLinks, allLinksTogether)
                    : RateLimitPartition.GetNoLimiter(BucketKey.NotALink));
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(allLinks, perCaller);
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(10);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problem = IsRead(context.HttpContext.Request)
                    ? Problems.Problem(429, "too-many-requests", "Too many requests in a short time.", $"Slow down: try again in {seconds} s.")
                    : Problems.Problem(429, "too-many-writes", "Too many changes in a short time.", $"Slow down: try again in {seconds} s.");
                await problem.ExecuteAsync(context.HttpContext);
            };
        });
    }

    /// <summary>The personal link a request to the guest routes carries, if it looks like one.</summary>
    private static string? GuestLink(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api/guest", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var link = context.Request.Headers[Features.Guests.GuestToken.Header].ToString();
        return Application.GuestTokens.LooksValid(link) ? link : null;
    }

    private static bool IsRead(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);

    /// <summary>Whose bucket: a value, so finding it takes no string built per request.</summary>
    private readonly record struct BucketKey(string Kind, UserId? User = null, string? Link = null)
    {
        public static readonly BucketKey Host = new("host");
        public static readonly BucketKey Anonymous = new("anonymous");
        public static readonly BucketKey AllLinks = new("all links");
        public static readonly BucketKey NotALink = new("not a link");
    }

    private static Func<BucketKey, TokenBucketRateLimiterOptions> Bucket(int burst, int perMinute)
    {
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = Math.Max(1, perMinute / 6),
            ReplenishmentPeriod = TimeSpan.FromSeconds(10),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        return _ => options;
    }
}
