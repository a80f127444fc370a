using System.Collections.Concurrent;
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
}

/// <summary>
/// App-only Graph clients, one per tenant, authenticated as the Function App (managed identity, or whatever
/// DefaultAzureCredential finds). They share one pipeline, so the per-mailbox limit holds across all of them.
/// </summary>
public sealed class AppGraphClients
{
    private static readonly string[] Scopes = ["https://graph.microsoft.com/.default"];
    private readonly GraphPipeline _pipeline = new();
    private readonly ConcurrentDictionary<string, GraphServiceClient> _byTenant = new(StringComparer.OrdinalIgnoreCase);

    public GraphServiceClient ForTenant(string tenantId) => _byTenant.GetOrAdd(tenantId, tenant =>
        _pipeline.Create(new AzureIdentityAuthenticationProvider(
            new DefaultAzureCredential(new DefaultAzureCredentialOptions { TenantId = tenant }), scopes: Scopes)));
}
