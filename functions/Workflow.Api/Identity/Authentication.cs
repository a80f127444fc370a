using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Identity.Abstractions;
using Microsoft.Identity.Web;
using Microsoft.Identity.Web.TokenCacheProviders.InMemory;

namespace Workflow.Api.Identity;

public sealed class AccessOptions
{
    public const string Section = "Access";

    /// <summary>The delegated scope every call must carry.</summary>
    public string RequiredScope { get; set; } = "access_as_user";

    /// <summary>Tenants whose users may call the API (multi-tenant app, explicit allow-list).</summary>
    public List<string> AllowedTenants { get; set; } = [];
}

/// <summary>
/// The app registration's settings (section AzureAd), bound by build-time generated code and handed to
/// Microsoft.Identity.Web, whose own binding of the section works by reflection over its options, which the
/// ahead-of-time compiled handler does not keep (docs/decisions/0019). Only the settings this API uses; a new one must be
/// added here (the deployment sets exactly these: infra/main.bicep, infra/modules/functionapp.bicep).
/// </summary>
public sealed class EntraOptions
{
    public const string Section = "AzureAd";

    public string Instance { get; set; } = "https://login.microsoftonline.com/";
    public string? TenantId { get; set; }
    public string? ClientId { get; set; }
    public string? Audience { get; set; }

    /// <summary>How the app proves itself to Entra for on-behalf-of Graph calls: in Azure, its managed identity.</summary>
    public List<EntraCredential> ClientCredentials { get; set; } = [];

    public void ApplyTo(MicrosoftIdentityApplicationOptions options)
    {
        options.Instance = Instance;
        options.TenantId = TenantId;
        options.ClientId = ClientId;
        options.Audience = Audience;
        options.ClientCredentials = [.. ClientCredentials.Select(c => c.ToDescription())];
    }

    /// <remarks>
    /// The ahead-of-time path of Microsoft.Identity.Web derives the valid audience from the client id alone; the
    /// configured Audience (the App ID URI the pane asks tokens for) is the one tokens carry, as the reflection path
    /// would take it.
    /// </remarks>
    public void ApplyTo(JwtBearerOptions options)
    {
        if (!string.IsNullOrWhiteSpace(Audience))
        {
            options.TokenValidationParameters.ValidAudience = Audience;
        }
    }
}

public sealed class EntraCredential
{
    public CredentialSource SourceType { get; set; }
    public string? ManagedIdentityClientId { get; set; }

    public CredentialDescription ToDescription() => new()
    {
        SourceType = SourceType,
        ManagedIdentityClientId = ManagedIdentityClientId,
    };
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
        var entra = configuration.GetSection(EntraOptions.Section).Get<EntraOptions>() ?? new EntraOptions();
        services.AddAuthentication().AddMicrosoftIdentityWebApiAot(entra.ApplyTo, JwtBearerDefaults.AuthenticationScheme, entra.ApplyTo);
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
            services.AddTokenAcquisition();
            services.AddInMemoryTokenCaches();
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
