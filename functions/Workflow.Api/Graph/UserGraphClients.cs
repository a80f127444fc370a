using Microsoft.Graph;
using Microsoft.Identity.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Workflow.Domain;

namespace Workflow.Api.Graph;

/// <summary>
/// Graph on behalf of the signed-in user (on-behalf-of flow through Microsoft.Identity.Web): the add-in's own token
/// for our API is exchanged for a Graph token with the user's delegated rights — never more than they have.
/// </summary>
public sealed class UserGraphClients(IHttpContextAccessor http, IAuthorizationHeaderProvider headers, GraphPipeline pipeline)
{
    public static readonly string[] Scopes = ["https://graph.microsoft.com/Mail.ReadWrite", "https://graph.microsoft.com/Calendars.ReadWrite", "https://graph.microsoft.com/MailboxSettings.ReadWrite"];

    public GraphServiceClient ForUser(UserId user)
    {
        var principal = http.HttpContext?.User ?? throw new InvalidOperationException("Graph on behalf of a user needs that user's request.");
        if (Identity.CallerIdentity.UserOf(principal) != user)
        {
            throw new InvalidOperationException("Graph on behalf of one user was asked for another's mailbox.");
        }
        return pipeline.Create(new BaseBearerTokenAuthenticationProvider(new OnBehalfOf(headers, principal)));
    }

    private sealed class OnBehalfOf(IAuthorizationHeaderProvider headers, System.Security.Claims.ClaimsPrincipal user) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new(["graph.microsoft.com"]);

        public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        {
            var header = await headers.CreateAuthorizationHeaderForUserAsync(Scopes, claimsPrincipal: user, cancellationToken: cancellationToken);
            return header["Bearer ".Length..];
        }
    }
}
