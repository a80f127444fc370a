using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Kiota.Authentication.Azure;

namespace Workflow.Api.Graph;

public sealed class GraphOptions
{
    public const string Section = "Graph";

    /// <summary>Use Microsoft Graph for the directory and the weekly mail (Azure). Off locally, where there is no tenant.</summary>
    public bool Enabled { get; set; }

    /// <summary>The one mailbox the weekly digests are sent from.</summary>
    public string ServiceMailbox { get; set; } = "";

    /// <summary>
    /// Other tenants whose directories may be read to bind parties: each has consented to the API's multi-tenant
    /// registration (User.ReadBasic.All), which signs in there with its federated credential backed by the Function
    /// App's managed identity. Every tenant not listed (nor the home tenant) finds nobody.
    /// </summary>
    public List<string> PartnerDirectoryTenants { get; set; } = [];

    /// <summary>
    /// The id of our app's manifest (the add-in's unified manifest, which Teams installs as the same app): people who have
    /// it installed in Teams get activity-feed notifications. Empty: nobody does.
    /// </summary>
    public string TeamsAppExternalId { get; set; } = "";

    /// <summary>
    /// Whether the weekly digest reads each person's calendar with the app's own permission (Calendars.ReadBasic,
    /// application — scope it to the people who use Workflow with Exchange RBAC for Applications) to say which meetings
    /// of the week had a purpose and what came out of them. Off: the digest leaves that out; the review page has it.
    /// </summary>
    public bool DigestReadsCalendars { get; set; }
}

/// <summary>
/// App-only Graph clients, one per tenant we hold a credential valid in, all on one pipeline (one connection pool,
/// and the per-mailbox limit holds across them). The managed identity gets tokens for the home tenant only; asking it
/// for another tenant's directory would silently read the home tenant's and label the answer with the other's id.
/// </summary>
public sealed class AppGraphClients
{
    /// <summary>The audience of the managed identity's token that the API registration's federated credential trusts.</summary>
    public const string TokenExchangeScope = "api://AzureADTokenExchange/.default";

    private static readonly string[] Scopes = ["https://graph.microsoft.com/.default"];
    private readonly GraphPipeline _pipeline;
    private readonly Func<string, TokenCredential> _credentialFor;
    private readonly HashSet<string> _tenants;
    private readonly ConcurrentDictionary<string, GraphServiceClient> _byTenant = new(StringComparer.OrdinalIgnoreCase);

    public AppGraphClients(string homeTenantId, IEnumerable<string> partnerTenants, Func<string, TokenCredential> credentialFor, GraphPipeline? pipeline = null)
    {
        if (!Guid.TryParse(homeTenantId, out _))
        {
            throw new InvalidOperationException("AzureAd:HomeTenantId must be the home tenant's id (a GUID) when Graph is enabled.");
        }
        HomeTenantId = homeTenantId;
        _tenants = new HashSet<string>(partnerTenants.Append(homeTenantId), StringComparer.OrdinalIgnoreCase);
        _credentialFor = credentialFor;
        _pipeline = pipeline ?? new GraphPipeline();
    }

    public string HomeTenantId { get; }

    /// <summary>The home tenant's client: the managed identity's own tenant (the digests' service mailbox lives there).</summary>
    public GraphServiceClient HomeTenant => ForTenant(HomeTenantId)!;

    /// <summary>A client authenticated in <paramref name="tenantId"/>, or null if we hold no credential valid there.</summary>
    public GraphServiceClient? ForTenant(string tenantId) => _tenants.Contains(tenantId)
        ? _byTenant.GetOrAdd(tenantId, tenant => _pipeline.Create(new AzureIdentityAuthenticationProvider(_credentialFor(tenant), scopes: Scopes)))
        : null;

    /// <summary>
    /// In Azure: the home tenant through the managed identity (or whatever DefaultAzureCredential finds elsewhere);
    /// a partner tenant through the API registration, asserting itself with a managed-identity token (no secret).
    /// </summary>
    /// <param name="federatedIdentityClientId">The user-assigned identity the API registration's federated credential
    /// trusts (Entra accepts only user-assigned identities there): AzureAd:ClientCredentials:0:ManagedIdentityClientId.</param>
    public static Func<string, TokenCredential> AzureCredentials(string homeTenantId, string apiClientId, string? federatedIdentityClientId)
    {
        var federated = new Lazy<ManagedIdentityCredential>(() => new ManagedIdentityCredential(
            string.IsNullOrEmpty(federatedIdentityClientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(federatedIdentityClientId)));
        return tenant => string.Equals(tenant, homeTenantId, StringComparison.OrdinalIgnoreCase)
            ? new DefaultAzureCredential(new DefaultAzureCredentialOptions { TenantId = tenant })
            : new ClientAssertionCredential(tenant, apiClientId, async cancellationToken =>
                (await federated.Value.GetTokenAsync(new TokenRequestContext([TokenExchangeScope]), cancellationToken)).Token);
    }
}
