using System.Security.Claims;
using Microsoft.Identity.Web;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Identity;

/// <summary>Who is calling: (tid, oid) from the validated token — never an email, a UPN or anything in the body.</summary>
public static class CallerIdentity
{
    public static UserId? UserOf(ClaimsPrincipal principal)
    {
        var tenant = principal.GetTenantId();
        var objectId = principal.GetObjectId();
        // Both are GUIDs in every Entra token; anything else is not a user we can key storage by.
        return Guid.TryParse(tenant, out var t) && Guid.TryParse(objectId, out var o)
            ? new UserId(t.ToString("D"), o.ToString("D"))
            : null;
    }

    /// <summary>
    /// The caller as the token names them — no directory call, so it costs nothing on the request path. Email and
    /// name are the token's own claims, for display only.
    /// </summary>
    public static Caller? FromToken(ClaimsPrincipal principal) =>
        UserOf(principal) is { } user
            ? new Caller(user, principal.FindFirstValue("preferred_username"), principal.FindFirstValue("name"))
            : null;

    /// <summary>
    /// The caller with a name to show: from the directory when it knows them, else the token's own claims. Only where
    /// the caller's own party is written (opening a workflow) or shown to them (their profile).
    /// </summary>
    public static async Task<Caller> WithDirectoryNameAsync(this Caller caller, IDirectory directory, CancellationToken cancellationToken)
    {
        var known = await directory.FindByIdAsync(caller.Id, cancellationToken);
        return known is null ? caller : caller with { Email = known.Email, DisplayName = known.DisplayName };
    }

    /// <summary>
    /// Binds <see cref="Caller"/> as a handler parameter (<c>[FromServices] Caller caller</c>), from the validated token
    /// only. Asked for only by endpoints behind the user policy, which admits no token without a tenant and object id.
    /// </summary>
    public static IServiceCollection AddCallerBinding(this IServiceCollection services) =>
        services.AddHttpContextAccessor().AddScoped(sp =>
            FromToken(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User ?? new ClaimsPrincipal())
            ?? throw new InvalidOperationException("The caller is bound only on endpoints that require the user policy."));
}
