using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using Workflow.Application;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>A person's time zone comes from their Outlook mailbox settings until they choose one in the pane.</summary>
[Collection(SharedAzurite.Name)]
public sealed class MailboxTimeZoneTests(Azurite azurite) : IAsyncLifetime
{
    private readonly IMailboxTimeZones _mailbox = Substitute.For<IMailboxTimeZones>();
    private ApiFactory _api = null!;

    public Task InitializeAsync()
    {
        var mailbox = _mailbox;
        _api = new ApiFactory(azurite, services: s => s.AddSingleton(mailbox));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_mailbox_zone_is_used_and_said_to_be_the_mailboxs_until_the_person_chooses_one()
    {
        _mailbox.FindAsync(Arg.Any<UserId>(), Arg.Any<CancellationToken>()).Returns("Asia/Tokyo");
        var alice = await _api.SignedInAsync("alice@contoso.test");

        var first = await alice.GetJsonAsync("/api/me");
        Assert.Equal(("Asia/Tokyo", true), (first.Body!["timeZone"]!.GetValue<string>(), first.Body["timeZoneFromMailbox"]!.GetValue<bool>()));
        // Still the mailbox's on the next look, and the mailbox is not asked again (it was remembered).
        var again = await alice.GetJsonAsync("/api/me");
        Assert.True(again.Body!["timeZoneFromMailbox"]!.GetValue<bool>());
        await _mailbox.Received(1).FindAsync(Arg.Any<UserId>(), Arg.Any<CancellationToken>());
        // Changing something else keeps where the zone came from.
        Assert.Equal(HttpStatusCode.NoContent, (await alice.PutAsJsonAsync("/api/me/preferences", new { notify = "daily" })).StatusCode);
        Assert.True((await alice.GetJsonAsync("/api/me")).Body!["timeZoneFromMailbox"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NoContent, (await alice.PutAsJsonAsync("/api/me/preferences", new { timeZone = "Europe/Lisbon" })).StatusCode);
        var chosen = await alice.GetJsonAsync("/api/me");
        Assert.Equal(("Europe/Lisbon", false), (chosen.Body!["timeZone"]!.GetValue<string>(), chosen.Body["timeZoneFromMailbox"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Without_a_mailbox_zone_it_is_UTC_and_nothing_is_remembered()
    {
        _mailbox.FindAsync(Arg.Any<UserId>(), Arg.Any<CancellationToken>()).Returns((string?)null);
        var bob = await _api.SignedInAsync("bob@contoso.test");

        var me = await bob.GetJsonAsync("/api/me");

        Assert.Equal(("UTC", false), (me.Body!["timeZone"]!.GetValue<string>(), me.Body["timeZoneFromMailbox"]!.GetValue<bool>()));
    }
}
