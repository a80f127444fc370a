using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using Workflow.Application;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>The mailbox endpoints and the review's calendar check, with the mailbox port substituted.</summary>
[Collection(SharedAzurite.Name)]
public sealed class MailboxTests : IAsyncLifetime
{
    private readonly IMailbox _mailbox = Substitute.For<IMailbox>();
    private readonly ApiFactory _api;
    private readonly ApiFactory _withoutGraph;
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;

    public MailboxTests(Azurite azurite)
    {
        _mailbox.IsAvailable.Returns(true);
        var mailbox = _mailbox;
        _api = new ApiFactory(azurite, services: s => s.AddSingleton(mailbox));
        _withoutGraph = new ApiFactory(azurite);
    }

    public async Task InitializeAsync()
    {
        _alice = await _api.SignedInAsync("alice@contoso.test");
        _bob = await _api.SignedInAsync("bob@contoso.test");
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _withoutGraph.DisposeAsync();
    }

    private static MailItemContext Message(string conversation) =>
        new(ItemKind.Message, "AAMkMsg", "<m@contoso.com>", conversation, null, "Budget", "alice@contoso.test", ["bob@contoso.test"], null, null, null, null);

    [Fact]
    public async Task Resolving_an_item_gives_its_context_and_the_workflows_of_its_thread()
    {
        var opened = await _alice.OpenForBobAsync(source: new { key = "thread:AAQkConv", kind = "message" }, start: "requested");
        _mailbox.GetAsync(Arg.Any<UserId>(), ItemKind.Message, "AAMkMsg", Arg.Any<CancellationToken>()).Returns(Message("AAQkConv"));

        var resolved = await _bob.GetJsonAsync("/api/mailbox/message/AAMkMsg");

        Assert.Equal(HttpStatusCode.OK, resolved.Status);
        Assert.Equal("thread:AAQkConv", resolved.Body!["key"]!.GetValue<string>());
        Assert.Equal([opened.Id], resolved.Body["workflows"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()));
        await _mailbox.Received(1).GetAsync(Arg.Is<UserId>(u => u.ObjectId == "bbbbbbbb-0000-0000-0000-000000000002"), ItemKind.Message, "AAMkMsg", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Tagging_marks_the_item_with_the_workflows_current_quadrant_for_its_parties_only()
    {
        var opened = await _alice.OpenForBobAsync();
        await _alice.MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        var carol = await _api.SignedInAsync("carol@contoso.test");

        var tagged = await _bob.PostAsJsonAsync("/api/mailbox/event/AAMkEv1/tag", new { workflowId = opened.Id });
        var refused = await carol.PostAsJsonAsync("/api/mailbox/event/AAMkEv1/tag", new { workflowId = opened.Id });

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (tagged.StatusCode, refused.StatusCode));
        await _mailbox.Received(1).TagAsync(Arg.Any<UserId>(), ItemKind.Event, "AAMkEv1", opened.Id, Quadrant.Q2, Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData("/api/mailbox/folder/AAMk")]
    [InlineData("/api/mailbox/message/has%20space")]
    [InlineData("/api/mailbox/message/%3Cscript%3E")]
    public async Task Bad_item_references_are_400(string path) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await _bob.GetJsonAsync(path)).Status);

    [Fact]
    public async Task Where_no_mailbox_can_be_reached_the_answer_says_so()
    {
        var alice = await _withoutGraph.SignedInAsync("alice@contoso.test");
        var answer = await alice.GetJsonAsync("/api/mailbox/message/AAMkMsg");
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.EndsWith("/mailbox-unavailable", answer.ProblemType);
    }

    [Fact]
    public async Task The_review_says_whether_an_assessment_meeting_is_on_the_calendar()
    {
        var withMeeting = await _alice.OpenForBobAsync("With a Q4 meeting");
        var without = await _alice.OpenForBobAsync("Without one");
        foreach (var w in new[] { withMeeting, without })
        {
            var asked = await _alice.MoveAsync(w.Id, w.ETag, new { move = "request" });
            var promised = await _bob.MoveAsync(w.Id, asked.ETag, new { move = "promise" });
            await _bob.MoveAsync(w.Id, promised.ETag, new { move = "reportComplete", assessBy = DateTimeOffset.UtcNow.AddDays(2) });
        }
        _mailbox.CalendarAsync(Arg.Any<UserId>(), Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns([new CalendarSlot("E1", "Q4 review", DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(1).AddMinutes(30), withMeeting.Id, [])]);

        var review = await _alice.GetJsonAsync("/api/review");

        var meetings = review.Body!["items"]!.AsArray().ToDictionary(i => i!["id"]!.GetValue<string>(), i => i!["assessmentMeeting"]?.GetValue<string>());
        Assert.Equal(("scheduled", "missing"), (meetings[withMeeting.Id], meetings[without.Id]));
    }

    [Fact]
    public async Task A_meeting_linked_to_the_workflow_counts_as_its_assessment_meeting_too()
    {
        var w = await _alice.OpenForBobAsync("Linked to a Q4 meeting", start: "requested");
        var promised = await _bob.MoveAsync(w.Id, (await _bob.GetJsonAsync($"/api/workflows/{w.Id}")).ETag, new { move = "promise" });
        await _bob.MoveAsync(w.Id, promised.ETag, new { move = "reportComplete", assessBy = DateTimeOffset.UtcNow.AddDays(2) });
        const string meeting = "event:teams:19:meeting_assess@thread.v2";
        await _alice.PostAsJsonAsync($"/api/items/{Uri.EscapeDataString(meeting)}/workflows", new { workflowId = w.Id, kind = "event", subject = "Q4 review" });
        _mailbox.CalendarAsync(Arg.Any<UserId>(), Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns([new CalendarSlot("E9", "Q4 review", DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(1).AddMinutes(30), null, [], meeting)]);

        var review = await _alice.GetJsonAsync("/api/review");

        var item = review.Body!["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == w.Id)!;
        Assert.Equal("scheduled", item["assessmentMeeting"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_review_lists_the_meetings_held_this_week_by_purpose_and_what_came_out_of_each()
    {
        const string negotiation = "event:teams:19:meeting_pricing@thread.v2";
        const string idle = "event:040000008200E0-idle";
        const string untagged = "event:040000008200E0-lunch";
        var asked = await _alice.OpenForBobAsync("Price the renewal", start: "requested");
        await ApiClient.Read(await _alice.PutAsJsonAsync($"/api/meetings/{Uri.EscapeDataString(negotiation)}/purpose", new { purpose = "Q2" }));
        await ApiClient.Read(await _bob.PutAsJsonAsync($"/api/meetings/{Uri.EscapeDataString(idle)}/purpose", new { purpose = "Q2", on = "2026-12-03" }));
        var asBob = await _bob.GetJsonAsync($"/api/workflows/{asked.Id}");
        Assert.Equal(HttpStatusCode.OK, (await _bob.MoveAsync(asked.Id, asBob.ETag, new { move = "promise", meeting = negotiation })).Status);
        var earlier = DateTimeOffset.UtcNow.AddHours(-3);
        _mailbox.CalendarAsync(Arg.Any<UserId>(), Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns([
                new CalendarSlot("E1", "Pricing", earlier, earlier.AddMinutes(30), null, [], negotiation),
                new CalendarSlot("E2", "Weekly sync", earlier.AddHours(1), earlier.AddHours(1.5), null, [], idle, new DateOnly(2026, 12, 3)),
                new CalendarSlot("E3", "Lunch", earlier.AddHours(2), earlier.AddHours(2.5), null, [], untagged),
            ]);

        foreach (var (client, moves) in new[] { (_alice, 1), (_bob, 1) })
        {
            var held = (await client.GetJsonAsync("/api/review")).Body!["meetingsHeld"]!.AsArray();
            Assert.Equal(["Pricing", "Weekly sync"], held.Select(m => m!["subject"]!.GetValue<string>()));
            Assert.Equal(["Q2", "Q2"], held.Select(m => m!["purpose"]!.GetValue<string>()));
            Assert.Equal([moves, 0], held.Select(m => m!["moves"]!.GetValue<int>()));
            // In the digest mail's words, which the review page shows as they come.
            Assert.Equal(["1 move came out of it", "no promise came out of it"], held.Select(m => m!["words"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Without_a_calendar_the_review_says_nothing_of_meetings_held()
    {
        using var alice = await _withoutGraph.SignedInAsync("alice@contoso.test");

        var review = await alice.GetJsonAsync("/api/review");

        Assert.Equal(HttpStatusCode.OK, review.Status);
        Assert.Null(review.Body!["meetingsHeld"]);
    }

    [Fact]
    public async Task Setting_a_meetings_purpose_from_my_copy_shows_it_there_and_a_mailbox_that_fails_loses_nothing()
    {
        const string meeting = "event:teams:19:meeting_category@thread.v2";
        var path = $"/api/meetings/{Uri.EscapeDataString(meeting)}/purpose";

        var set = await ApiClient.Read(await _alice.PutAsJsonAsync(path, new { purpose = "Q4", itemId = "AAMkMine" }));

        Assert.Equal(HttpStatusCode.OK, set.Status);
        await _mailbox.Received(1).ShowPurposeAsync(Arg.Is<UserId>(u => u.ObjectId == "aaaaaaaa-0000-0000-0000-000000000001"), "AAMkMine", Quadrant.Q4, Arg.Any<CancellationToken>());

        _mailbox.ShowPurposeAsync(Arg.Any<UserId>(), Arg.Any<string>(), Arg.Any<Quadrant?>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromException(new HttpRequestException("Injected: Graph is down.")));
        var failed = await ApiClient.Read(await _bob.PutAsJsonAsync(path, new { purpose = "Q3", itemId = "AAMkBobs" }));

        Assert.Equal((HttpStatusCode.OK, "Q3"), (failed.Status, failed.Body!["purpose"]!.GetValue<string>()));
        Assert.Equal("Q3", (await _alice.GetJsonAsync($"/api/meetings/{Uri.EscapeDataString(meeting)}")).Body!["purpose"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_meeting_opened_in_Outlook_tells_the_Teams_tab_who_is_in_the_room()
    {
        const string joinUrl = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_room%40thread.v2/0";
        const string key = "event:teams:19:meeting_room@thread.v2";
        _mailbox.GetAsync(Arg.Any<UserId>(), ItemKind.Event, "AAMkRoom", Arg.Any<CancellationToken>())
            .Returns(new MailItemContext(ItemKind.Event, "AAMkRoom", null, null, "ical-room", "Pricing", "alice@contoso.test", ["Bob@Contoso.test"],
                DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(30), MeetingKind.Teams, joinUrl));
        var withBob = await _alice.OpenForBobAsync("Price the renewal", start: "requested");
        await _alice.OpenAsync(new
        {
            concern = "Order chairs", customer = "me", performer = "carol@contoso.test", conditions = "40", dueBy = DateTimeOffset.UtcNow.AddDays(9), start = "requested",
        });
        await ApiClient.Read(await _alice.PutAsJsonAsync($"/api/meetings/{Uri.EscapeDataString(key)}/purpose", new { purpose = "Q2" }));
        var before = await _alice.GetJsonAsync($"/api/meetings/{Uri.EscapeDataString(key)}/agenda");
        Assert.False(before.Body!["attendeesKnown"]!.GetValue<bool>());

        var resolved = await _alice.GetJsonAsync("/api/mailbox/event/AAMkRoom");
        Assert.Equal(key, resolved.Body!["key"]!.GetValue<string>());

        // The tab names nobody; the agenda is drawn between the people the invitation names.
        var agenda = await _alice.GetJsonAsync($"/api/meetings/{Uri.EscapeDataString(key)}/agenda");
        Assert.True(agenda.Body!["attendeesKnown"]!.GetValue<bool>());
        Assert.Equal([withBob.Id], agenda.Body["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
    }
}
