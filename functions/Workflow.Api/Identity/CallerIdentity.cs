using System.Security.Claims;
using Microsoft.Identity.Web;
using Workflow.Api.Application;
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

    /// <summary>The caller with a name to show: from the directory when it knows them, else the token's own claims.</summary>
    public static async Task<Caller?> CallerOfAsync(HttpContext context, IDirectory directory)
    {
        if (UserOf(context.User) is not { } user)
        {
            return null;
        }
        var known = await directory.FindByIdAsync(user, context.RequestAborted);
        return new Caller(
            user,
            known?.Email ?? context.User.FindFirstValue("preferred_username"),
            known?.DisplayName ?? context.User.FindFirstValue("name"));
    }
}
