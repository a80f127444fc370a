using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace Workflow.Api.Storage;

public sealed class TableStorageOptions
{
    public const string Section = "Tables";

    /// <summary>A connection string (Azurite locally). In Azure, leave empty and set <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Table endpoint, reached with the app's managed identity (no shared keys in Azure).</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>Prepended to every table name, so tests can share one Azurite without sharing data.</summary>
    public string TablePrefix { get; set; } = "";

    /// <summary>How often the SDK retries a failed request (a retried write is recognised by its commit id).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones back off exponentially.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(800);
}

/// <summary>
/// The three tables and the one client pipeline they share. Tables are created on first use rather than at start-up,
/// so the handler answers the Functions host's readiness probe without any network call.
/// </summary>
public sealed class TableStorage
{
    private readonly Lock _gate = new();
    private readonly string _prefix;
    private Task? _created;

    public TableStorage(TableStorageOptions options, IEnumerable<Azure.Core.Pipeline.HttpPipelinePolicy> policies)
    {
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        foreach (var policy in policies)
        {
            clientOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }
        Service = options.ConnectionString is { Length: > 0 } connection
            ? new TableServiceClient(connection, clientOptions)
            : new TableServiceClient(
                options.ServiceUri ?? throw new InvalidOperationException(
                    $"Configure {TableStorageOptions.Section}:ConnectionString or {TableStorageOptions.Section}:ServiceUri."),
                new DefaultAzureCredential(),
                clientOptions);
        _prefix = options.TablePrefix;
        Workflows = Service.GetTableClient(options.TablePrefix + "workflows");
        // The stored table names predate the property names; renaming a table would strand its rows.
        Lists = Service.GetTableClient(options.TablePrefix + "people");
        Items = Service.GetTableClient(options.TablePrefix + "items");
        Registry = Service.GetTableClient(options.TablePrefix + "persons");
        Digests = Service.GetTableClient(options.TablePrefix + "digests");
        Notices = Service.GetTableClient(options.TablePrefix + "notices");
        GuestLinks = Service.GetTableClient(options.TablePrefix + "guestlinks");
        Opens = Service.GetTableClient(options.TablePrefix + "opens");
        Meetings = Service.GetTableClient(options.TablePrefix + "meetings");
        Children = Service.GetTableClient(options.TablePrefix + "children");
        Roles = Service.GetTableClient(options.TablePrefix + "roles");
        Figures = Service.GetTableClient(options.TablePrefix + "figures");
        Teams = Service.GetTableClient(options.TablePrefix + "teams");
    }

    public TableServiceClient Service { get; }

    /// <summary>Each workflow's partition: its state, its events, its idempotency records and its outbox.</summary>
    public TableClient Workflows { get; }

    /// <summary>A person's lists: one partition per user, one row per workflow they are a party of (table "people").</summary>
    public TableClient Lists { get; }

    /// <summary>Links from mail threads and meetings: one partition per item, one row per linked workflow.</summary>
    public TableClient Items { get; }

    /// <summary>The people registry: one row per person who is a bound party, with their preferences (table "persons").</summary>
    public TableClient Registry { get; }

    /// <summary>The weekly digests: one partition per ISO week, one row per person — claimed, then sent.</summary>
    public TableClient Digests { get; }

    /// <summary>Each person's notice box: notices waiting to be mailed, and the mails claimed (<see cref="TableNoticeBox"/>).</summary>
    public TableClient Notices { get; }

    /// <summary>Personal links for parties outside the organisation, by the hash of their token (never the token).</summary>
    public TableClient GuestLinks { get; }

    /// <summary>Opens counted per day: one partition per UTC day, one row per opener and other party (the daily limit).</summary>
    public TableClient Opens { get; }

    /// <summary>Meetings: one partition per meeting key (hashed), its purposes and the moves made in it.</summary>
    public TableClient Meetings { get; }

    /// <summary>Each workflow's children (its duals and delegations): one partition per parent, one row per child.</summary>
    public TableClient Children { get; }
    /// <summary>Roles: each role's record in its own partition, and each person's index of their roles (<see cref="TableRoles"/>).</summary>
    public TableClient Roles { get; }

    /// <summary>Each person's figures: one partition per user, one row per workflow they are a party of (<see cref="TableFigures"/>).</summary>
    public TableClient Figures { get; }

    /// <summary>Teams: each team's partition (its record and its members), and each member's index of their teams (<see cref="TableTeams"/>).</summary>
    public TableClient Teams { get; }

    /// <summary>Creates the tables once per process. A failed attempt is forgotten, so the next request tries again.</summary>
    public Task EnsureCreatedAsync()
    {
        lock (_gate)
        {
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                _created = CreateTablesAsync();
            }
            return _created;
        }
    }

    /// <summary>
    /// One query for which of our tables exist, then the missing ones created all at once. Every cold start of every
    /// instance does this, and the tables almost always exist: one request on one connection, not a Create Table per
    /// table (13 requests, 13 connections, each answered 409), which cost the first signed-in request of a cold
    /// instance about 50 ms of CPU on 2 cores (scripts/bench.sh).
    /// </summary>
    private async Task CreateTablesAsync()
    {
        TableClient[] ours = [Workflows, Lists, Items, Registry, Digests, Notices, GuestLinks, Opens, Meetings, Children, Roles, Figures, Teams];
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // A prefix's tables sort together (names are letters and digits, all before '{'): ask for that range only.
        var filter = _prefix.Length == 0 ? null : TableServiceClient.CreateQueryFilter($"TableName ge {_prefix} and TableName lt {_prefix + "{"}");
        try
        {
            await foreach (var table in Service.QueryAsync(filter))
            {
                existing.Add(table.Name);
            }
        }
        catch (RequestFailedException e) when (e.Status == 403)
        {
            // An identity allowed to create tables but not to list them: create each, as before (409 when it exists).
        }
        await Task.WhenAll(ours.Where(t => !existing.Contains(t.Name)).Select(CreateAsync));
    }

    /// <remarks>
    /// Through the service client: TableClient.CreateIfNotExistsAsync writes its request body with reflection-based JSON,
    /// which the handler compiled ahead of time does not have (docs/decisions/0019).
    /// </remarks>
    private async Task CreateAsync(TableClient table)
    {
        try
        {
            await Service.CreateTableIfNotExistsAsync(table.Name);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created concurrently by another instance: what we wanted.
        }
    }
}
