using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>The people registry in one partition: the weekly job reads it a page (1,000 people) per request.</summary>
public sealed class TablePeopleRegistry(TableStorage tables) : IPeopleRegistry
{
    private const string Partition = "person";

    public async Task<Person?> FindAsync(UserId user, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var row = await tables.Registry.GetEntityIfExistsAsync<TableEntity>(Partition, IndexEntities.UserKey(user), cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!) : null;
    }

    public async Task RememberAsync(UserId user, string email, string? displayName, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        // Merge keeps the person's own preferences (time zone) that this write does not carry.
        await tables.Registry.UpsertEntityAsync(new TableEntity(Partition, IndexEntities.UserKey(user))
        {
            ["TenantId"] = user.TenantId,
            ["ObjectId"] = user.ObjectId,
            ["Email"] = email,
            ["DisplayName"] = displayName,
        }, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task SetTimeZoneAsync(UserId user, string timeZone, CancellationToken cancellationToken, bool fromMailbox = false)
    {
        await tables.EnsureCreatedAsync();
        await tables.Registry.UpsertEntityAsync(new TableEntity(Partition, IndexEntities.UserKey(user))
        {
            ["TenantId"] = user.TenantId,
            ["ObjectId"] = user.ObjectId,
            ["TimeZone"] = timeZone,
            ["TimeZoneSource"] = fromMailbox ? "mailbox" : "chosen",
        }, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task SetPreferencesAsync(UserId user, NotificationPreferences preferences, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        await tables.Registry.UpsertEntityAsync(new TableEntity(Partition, IndexEntities.UserKey(user))
        {
            ["TenantId"] = user.TenantId,
            ["ObjectId"] = user.ObjectId,
            ["TimeZone"] = preferences.TimeZone,
            ["TimeZoneSource"] = preferences.TimeZoneFromMailbox ? "mailbox" : "chosen",
            ["Notify"] = preferences.Frequency.ToString(),
            // Empty, not null: a Merge leaves a property it is not given untouched, so clearing must write a value.
            ["QuietFrom"] = preferences.QuietFrom?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ["QuietTo"] = preferences.QuietTo?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "",
        }, TableUpdateMode.Merge, cancellationToken);
    }

    public async IAsyncEnumerable<Person> AllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        await foreach (var row in tables.Registry.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (Read(row) is { Email.Length: > 0 } person)
            {
                yield return person;
            }
        }
    }

    private static Person Read(TableEntity row) => new(
        new UserId(row.GetString("TenantId") ?? "", row.GetString("ObjectId") ?? ""),
        row.GetString("Email") ?? "",
        row.GetString("DisplayName"),
        row.GetString("TimeZone"),
        Enum.TryParse<NotifyFrequency>(row.GetString("Notify"), out var frequency) ? frequency : NotifyFrequency.Immediate,
        TimeOnly.TryParseExact(row.GetString("QuietFrom"), "HH:mm", out var from) ? from : null,
        TimeOnly.TryParseExact(row.GetString("QuietTo"), "HH:mm", out var to) ? to : null,
        row.GetString("TimeZoneSource") == "mailbox");
}
