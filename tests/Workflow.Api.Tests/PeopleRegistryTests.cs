using Workflow.Application;
using Workflow.Api.Storage;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// The people registry against Azurite: a person is read for every notice and every mail, so what was read is kept a
/// minute — and this instance's own writes are seen at once, while the same name and email again are not written again.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class PeopleRegistryTests(Azurite azurite)
{
    private static readonly NotificationPreferences DailyInBerlin = new(NotifyFrequency.Daily, "Europe/Berlin", new TimeOnly(22, 0), new TimeOnly(7, 0));

    private readonly StorageRequestCounter _counter = new();

    [Fact]
    public async Task A_person_read_or_found_missing_is_not_read_again_within_the_lifetime()
    {
        var storage = new StorageHarness(azurite, _counter);
        await storage.Registry.RememberAsync(StorageHarness.Bob, "bob@contoso.test", "Bob Baker", default);
        var nobody = new UserId(StorageHarness.Alice.TenantId, "99999999-0000-0000-0000-000000000009");
        await storage.Registry.FindAsync(StorageHarness.Bob, default);
        await storage.Registry.FindAsync(nobody, default);

        using (var within = _counter.Measure())
        {
            Assert.Equal("Bob Baker", (await storage.Registry.FindAsync(StorageHarness.Bob, default))!.DisplayName);
            Assert.Null(await storage.Registry.FindAsync(nobody, default));
            Assert.Equal(0, within.Count);
        }
        storage.Time.Advance(new PeopleRegistryOptions().FoundLifetime);
        using (var after = _counter.Measure())
        {
            await storage.Registry.FindAsync(StorageHarness.Bob, default);
            Assert.Equal(1, after.Count);
        }
    }

    [Fact]
    public async Task Preferences_and_a_time_zone_set_on_this_instance_are_found_at_once()
    {
        var storage = new StorageHarness(azurite);
        await storage.Registry.RememberAsync(StorageHarness.Bob, "bob@contoso.test", "Bob Baker", default);
        Assert.Equal(NotifyFrequency.Immediate, (await storage.Registry.FindAsync(StorageHarness.Bob, default))!.Frequency);

        await storage.Registry.SetPreferencesAsync(StorageHarness.Bob, DailyInBerlin, default);
        Assert.Equal(DailyInBerlin, (await storage.Registry.FindAsync(StorageHarness.Bob, default))!.Preferences);

        await storage.Registry.SetTimeZoneAsync(StorageHarness.Bob, "Europe/Paris", default, fromMailbox: true);
        var bob = (await storage.Registry.FindAsync(StorageHarness.Bob, default))!;
        Assert.Equal(("Europe/Paris", true, NotifyFrequency.Daily), (bob.TimeZone, bob.TimeZoneFromMailbox, bob.Frequency));
    }

    [Fact]
    public async Task Someone_found_missing_is_found_at_once_when_this_instance_registers_them()
    {
        var storage = new StorageHarness(azurite);
        Assert.Null(await storage.Registry.FindAsync(StorageHarness.Bob, default));

        await storage.Registry.RememberAsync(StorageHarness.Bob, "bob@contoso.test", "Bob Baker", default);

        Assert.Equal("bob@contoso.test", (await storage.Registry.FindAsync(StorageHarness.Bob, default))?.Email);
    }

    [Fact]
    public async Task Another_instance_goes_on_with_what_it_read_for_at_most_the_lifetime()
    {
        var storage = new StorageHarness(azurite);
        var other = new TablePeopleRegistry(storage.Tables, storage.Time);
        await storage.Registry.RememberAsync(StorageHarness.Bob, "bob@contoso.test", "Bob Baker", default);
        Assert.Equal(NotifyFrequency.Immediate, (await other.FindAsync(StorageHarness.Bob, default))!.Frequency);

        await storage.Registry.SetPreferencesAsync(StorageHarness.Bob, DailyInBerlin, default);

        Assert.Equal(NotifyFrequency.Immediate, (await other.FindAsync(StorageHarness.Bob, default))!.Frequency);
        storage.Time.Advance(new PeopleRegistryOptions().FoundLifetime);
        Assert.Equal(NotifyFrequency.Daily, (await other.FindAsync(StorageHarness.Bob, default))!.Frequency);
    }

    [Fact]
    public async Task The_same_name_and_email_again_are_not_written_again_and_a_new_name_is()
    {
        var storage = new StorageHarness(azurite, _counter);
        await storage.Registry.RememberAsync(StorageHarness.Bob, "bob@contoso.test", "Bob Baker", default);

        using (var same = _counter.Measure())
        {
            await storage.Registry.RememberAsync(StorageHarness.Bob, "bob@contoso.test", "Bob Baker", default);
            Assert.Equal(0, same.Count);
        }
        using (var renamed = _counter.Measure())
        {
            await storage.Registry.RememberAsync(StorageHarness.Bob, "bob@contoso.test", "Robert Baker", default);
            Assert.Equal(1, renamed.Count);
        }
        Assert.Equal("Robert Baker", (await new TablePeopleRegistry(storage.Tables, storage.Time).FindAsync(StorageHarness.Bob, default))?.DisplayName);
    }
}
