using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Identity.Web;

namespace Workflow.Api.Identity;

public sealed class AccessOptions
{
    public const string Section = "Access";

    /// <summary>The delegated scope every call must carry.</summary>
    public string RequiredScope { get; set; } = "access_as_user";

    /// <summary>Tenants whose users may call the API (multi-tenant app, explicit allow-list).</summary>
    public List<string> AllowedTenants { get; set; } = [];
}

public static class Authentication
{
    public const string UserPolicy = "user";

    /// <summary>
    /// Bearer tokens validated by Microsoft.Identity.Web (audience, issuer, signature, lifetime), then the required
    /// scope and the tenant allow-list. In Development the same pipeline also trusts the local sign-in's key.
    /// </summary>
    /// <remarks>
    /// There is no default scheme: the user policy names the bearer scheme, so a token is read only by the endpoints
    /// that require a user. Anonymous requests — the Functions host's readiness probe, the timer invocation — never
    /// start the token-validation stack (about 100 ms of the first request after start, scripts/bench.sh).
    /// </remarks>
    public static IServiceCollection AddWorkflowAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // ASP.NET Core would make the only registered scheme the default one, and authenticate every request with it.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        var api = services.AddAuthentication()
            .AddMicrosoftIdentityWebApi(configuration.GetSection("AzureAd"));
        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            // Claims keep the names Entra gives them (tid, oid, scp): the WS-Federation names they would be mapped to
            // cost a dictionary per claim on every request, and every reader here (Microsoft.Identity.Web's tenant, object
            // id and scope helpers) takes either. Nothing reads the bearer token back from the authentication properties
            // (on-behalf-of takes it from the validated token), so it is not copied there on every request.
            options.MapInboundClaims = false;
            options.SaveToken = false;
        });
        // In Azure a cold instance's first signed-in request would otherwise wait for Entra's metadata and keys.
        services.AddHostedService<SigningKeysWarmUp>();
        // Nothing here protects data with ASP.NET Core Data Protection (bearer tokens are validated, never issued or
        // encrypted), so its start-up warm-up — reading or creating the XML key ring on disk — is pure cost.
        services.RemoveHostedService(DataProtectionWarmUp);
        if (configuration.GetValue<bool>("Graph:Enabled") && !environment.IsDevelopment())
        {
            // On-behalf-of Graph calls for the signed-in user (the app's credentials come from AzureAd:ClientCredentials).
            api.EnableTokenAcquisitionToCallDownstreamApi().AddInMemoryTokenCaches();
        }

        var access = configuration.GetSection(AccessOptions.Section).Get<AccessOptions>() ?? new AccessOptions();
        services.AddSingleton(access);
        services.AddAuthorizationBuilder()
            .AddPolicy(UserPolicy, policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireScope(access.RequiredScope)
                .RequireAssertion(context =>
                    context.User.GetTenantId() is { } tenant
                    && access.AllowedTenants.Contains(tenant, StringComparer.OrdinalIgnoreCase)
                    && (context.Resource is HttpContext http ? CallerIdentity.UserOf(http) : CallerIdentity.UserOf(context.User)) is not null));

#if DEVELOPMENT_SIGN_IN
        if (environment.IsDevelopment())
        {
            services.AddDevelopmentSignIn(configuration);
        }
#endif
        // Last, so it wraps the token handlers whatever configured them before (ValidatedTokens.cs).
        services.AddSingleton<ValidatedTokens>();
        services.AddSingleton<Microsoft.Extensions.Options.IPostConfigureOptions<JwtBearerOptions>, ValidatedTokens.Wiring>();
        return services;
    }

    private const string DataProtectionWarmUp = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    private static void RemoveHostedService(this IServiceCollection services, string implementationTypeName)
    {
        foreach (var registration in services.Where(d => d.ServiceType == typeof(IHostedService)
                     && d.ImplementationType?.FullName == implementationTypeName).ToList())
        {
            services.Remove(registration);
        }
    }
}
