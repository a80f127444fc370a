using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>How the people registry keeps what it read and wrote (configuration section "People").</summary>
public sealed class PeopleRegistryOptions
{
    public const string Section = "People";

    /// <summary>
    /// How long a person read (or found missing) is believed before their row is read again. This instance's own
    /// writes forget it at once; a change written by another instance is seen here after at most this long.
    /// </summary>
    public TimeSpan FoundLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the name and email this instance wrote are trusted to be in the row, so the same write is not sent again.</summary>
    public TimeSpan RememberedLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many people are kept per process, found and remembered each (when full, a new one is simply not kept).</summary>
    public int PeopleKept { get; set; } = 10_000;
}

/// <summary>
/// The people registry in one partition: the weekly job reads it a page (1,000 people) per request. A person is read
/// for every notice and every mail, so what was read is kept for <see cref="PeopleRegistryOptions.FoundLifetime"/>: a
/// person who changes their preferences here sees them at once, while another instance may go on using the old ones
/// for up to that long. Writes that would not change the row (the same name and email again) are not sent.
/// </summary>
public sealed class TablePeopleRegistry(TableStorage tables, TimeProvider time, PeopleRegistryOptions? options = null)
    : IPeopleRegistry, IDisposable
{
    private const string Partition = "person";

    private readonly PeopleRegistryOptions _options = options ?? new PeopleRegistryOptions();

    /// <summary>People read, and people found missing (a null <see cref="Found.Person"/>).</summary>
    private readonly MemoryCache _found = new(new MemoryCacheOptions { SizeLimit = (options ?? new PeopleRegistryOptions()).PeopleKept });

    /// <summary>The name and email this instance last wrote for a person.</summary>
    private readonly MemoryCache _remembered = new(new MemoryCacheOptions { SizeLimit = (options ?? new PeopleRegistryOptions()).PeopleKept });

    private readonly Lock _gate = new();

    /// <summary>
    /// This instance's writes so far (under <see cref="_gate"/>): a read or a write that overlapped another write may
    /// hold the row as it was before that one, so it is not kept.
    /// </summary>
    private long _writes;

    private sealed record Found(Person? Person, DateTimeOffset At);

    private sealed record Remembered(string Email, string? DisplayName, DateTimeOffset At);

    public void Dispose()
    {
        _found.Dispose();
        _remembered.Dispose();
    }

    public async Task<Person?> FindAsync(UserId user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_found.TryGetValue(user, out Found? found) && now - found!.At < _options.FoundLifetime)
        {
            return found.Person;
        }
        var writesBefore = WritesSoFar();
        await tables.EnsureCreatedAsync();
        var row = await tables.Registry.GetEntityIfExistsAsync<TableEntity>(Partition, IndexEntities.UserKey(user), cancellationToken: cancellationToken);
        var person = row.HasValue ? Read(row.Value!) : null;
        lock (_gate)
        {
            if (_writes == writesBefore)
            {
                _found.Set(user, new Found(person, now), Kept(_options.FoundLifetime));
            }
        }
        return person;
    }

    public async Task RememberAsync(UserId user, string email, string? displayName, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // The index projection calls this whenever a party becomes visible or bound: for the same person again and again.
        if (_remembered.TryGetValue(user, out Remembered? remembered) && now - remembered!.At < _options.RememberedLifetime
            && remembered.Email == email && remembered.DisplayName == displayName)
        {
            return;
        }
        // Merge keeps the person's own preferences (time zone) that this write does not carry.
        await WriteAsync(user, new TableEntity(Partition, IndexEntities.UserKey(user))
        {
            ["TenantId"] = user.TenantId,
            ["ObjectId"] = user.ObjectId,
            ["Email"] = email,
            ["DisplayName"] = displayName,
        }, new Remembered(email, displayName, now), cancellationToken);
    }

    public async Task SetTimeZoneAsync(UserId user, string timeZone, CancellationToken cancellationToken, bool fromMailbox = false)
    {
        await WriteAsync(user, new TableEntity(Partition, IndexEntities.UserKey(user))
        {
            ["TenantId"] = user.TenantId,
            ["ObjectId"] = user.ObjectId,
            ["TimeZone"] = timeZone,
            ["TimeZoneSource"] = fromMailbox ? "mailbox" : "chosen",
        }, null, cancellationToken);
    }

    public async Task SetPreferencesAsync(UserId user, NotificationPreferences preferences, CancellationToken cancellationToken)
    {
        await WriteAsync(user, new TableEntity(Partition, IndexEntities.UserKey(user))
        {
            ["TenantId"] = user.TenantId,
            ["ObjectId"] = user.ObjectId,
            ["TimeZone"] = preferences.TimeZone,
            ["TimeZoneSource"] = preferences.TimeZoneFromMailbox ? "mailbox" : "chosen",
            ["Notify"] = preferences.Frequency.ToString(),
            // Empty, not null: a Merge leaves a property it is not given untouched, so clearing must write a value.
            ["QuietFrom"] = preferences.QuietFrom?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ["QuietTo"] = preferences.QuietTo?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "",
        }, null, cancellationToken);
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

    public async Task ForgetAsync(UserId user, CancellationToken cancellationToken)
    {
        try
        {
            await tables.EnsureCreatedAsync();
            await tables.Registry.DeleteEntityAsync(Partition, IndexEntities.UserKey(user), ETag.All, cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                _writes++;
                _found.Remove(user);
                _remembered.Remove(user);
            }
        }
    }

    /// <summary>
    /// Merges <paramref name="row"/> into the person's row, and forgets what was read of them whether or not it worked
    /// (a write that failed may still have landed). <paramref name="remembered"/>, the name and email written (null when
    /// the write carries neither), is kept only when no other write of this instance overlapped: which of two landed
    /// last is not known here.
    /// </summary>
    private async Task WriteAsync(UserId user, TableEntity row, Remembered? remembered, CancellationToken cancellationToken)
    {
        var writesBefore = WritesSoFar();
        var landed = false;
        try
        {
            await tables.EnsureCreatedAsync();
            await tables.Registry.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
            landed = true;
        }
        finally
        {
            lock (_gate)
            {
                var alone = _writes == writesBefore;
                _writes++;
                _found.Remove(user);
                // A write of preferences carries neither name nor email: what was remembered of those stays true.
                if (remembered is not null && landed && alone)
                {
                    _remembered.Set(user, remembered, Kept(_options.RememberedLifetime));
                }
                else if (remembered is not null)
                {
                    _remembered.Remove(user);
                }
            }
        }
    }

    private long WritesSoFar()
    {
        lock (_gate)
        {
            return _writes;
        }
    }

    private static MemoryCacheEntryOptions Kept(TimeSpan lifetime) => new() { Size = 1, AbsoluteExpirationRelativeToNow = lifetime };

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
