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
    public static IServiceCollection AddWorkflowAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var api = services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddMicrosoftIdentityWebApi(configuration.GetSection("AzureAd"));
        if (configuration.GetValue<bool>("Graph:Enabled") && !environment.IsDevelopment())
        {
            // On-behalf-of Graph calls for the signed-in user (the app's credentials come from AzureAd:ClientCredentials).
            api.EnableTokenAcquisitionToCallDownstreamApi().AddInMemoryTokenCaches();
        }

        var access = configuration.GetSection(AccessOptions.Section).Get<AccessOptions>() ?? new AccessOptions();
        services.AddSingleton(access);
        services.AddAuthorizationBuilder()
            .AddPolicy(UserPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireScope(access.RequiredScope)
                .RequireAssertion(context =>
                    context.User.GetTenantId() is { } tenant
                    && access.AllowedTenants.Contains(tenant, StringComparer.OrdinalIgnoreCase)
                    && CallerIdentity.UserOf(context.User) is not null));

        if (environment.IsDevelopment())
        {
            services.AddDevelopmentSignIn(configuration);
        }
        return services;
    }
}
