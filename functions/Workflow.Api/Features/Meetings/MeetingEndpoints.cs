using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Api.Features.Workflows;
using Workflow.Api.Hosting;
using Workflow.Api.Identity;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Features.Meetings;

public static class MeetingEndpoints
{
    // Routes ({key} is the meeting's item key, URL-encoded: event:teams:<thread> or event:<iCalendar id>;
    //         on=YYYY-MM-DD names one occurrence of a recurring meeting)
    //   GET /api/meetings/{key}?on=                   its purpose, the workflows linked to it that I am a party of (and how
    //                                                  many others), and the moves made in it in my workflows
    //   PUT /api/meetings/{key}/purpose               set its purpose: { "purpose": "Q1".."Q4" | null, "on"?, "itemId"? } (on: that
    //                                                  occurrence only; itemId: my own Outlook copy, which shows it as its category)
    //   GET /api/meetings/{key}/agenda?on=&with=      my workflows its purpose calls for, with the people in the room
    //                                                  (with=<email>, repeated)

    public static RouteGroupBuilder MapMeetings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/meetings/{key}").RequireAuthorization(Authentication.UserPolicy).WithTags("Meetings");
        group.MapGet("/", Get).Contract("getMeeting", "A meeting as every attendee shares it, seen by me", 200, 400);
        group.MapPut("/purpose", SetPurpose).Contract("setMeetingPurpose", "Set what a meeting is for (Q1–Q4)", 200, 400).TakesJson<PurposeBody>();
        group.MapGet("/agenda", Agenda).Contract("getMeetingAgenda", "My workflows a meeting's purpose calls for", 200, 400);
        return group;
    }

    /// <summary>A meeting's purpose: Q1 listen, Q2 negotiate, Q3 check in, Q4 assess; null clears it.</summary>
    public sealed record PurposeBody(string? Purpose, DateOnly? On = null, string? ItemId = null) : IRequestBody
    {
        public static ValueTask<PurposeBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<PurposeBody>(context);

        public string? Problem() =>
            Purpose is not null && !(Quadrants.TryParse(Purpose, out var q) && MeetingAgenda.IsPurpose(q))
                ? "purpose must be Q1, Q2, Q3, Q4 or null."
                : MeetingKeys.DateProblem(On)
                    ?? (ItemId is { Length: 0 or > ItemKeys.MaxLength } || ItemId?.Any(char.IsControl) == true
                        ? $"itemId is the Outlook id of your copy of the meeting, 1 to {ItemKeys.MaxLength} characters."
                        : null);
    }

    /// <summary>A move made in the meeting: its event's stored name, and in words ("promised").</summary>
    public sealed record OutcomeView(
        string WorkflowId, string Concern, string Event, string Words, PartyRole By, string ByName, DateTimeOffset At, DateOnly? On);

    /// <summary>
    /// <see cref="PurposeSetFor"/>: "meeting" when the purpose holds for every occurrence, "occurrence" when this one
    /// has its own; null with no purpose.
    /// </summary>
    public sealed record MeetingView(
        string Key, DateOnly? On, Quadrant? Purpose, string? PurposeSetFor, SummaryView[] Workflows, int OthersLinked, OutcomeView[] Outcomes);

    public sealed record AgendaView(Quadrant? Purpose, bool AttendeesKnown, SummaryView[] Items);

    private static async Task<Results<Ok<MeetingView>, ProblemHttpResult>> Get(
        string key, DateOnly? on, [FromServices] Caller caller, HttpContext context, MeetingService meetings, IFollowUps followUps,
        TimeProvider time)
    {
        key = ItemKeys.FromRoute(key);
        if ((MeetingKeys.Problem(key) ?? MeetingKeys.DateProblem(on)) is { } problem)
        {
            return Problems.Invalid(problem);
        }
        // My own moves and links just made show at once.
        await followUps.WaitForUserAsync(caller.Id, context.RequestAborted);
        return TypedResults.Ok(View(await meetings.ViewAsync(caller, key, on, context.RequestAborted), time.GetUtcNow()));
    }

    private static async Task<Results<Ok<MeetingView>, ProblemHttpResult>> SetPurpose(
        string key, PurposeBody body, [FromServices] Caller caller, HttpContext context, MeetingService meetings, IMailbox mailbox,
        ILoggerFactory logs, TimeProvider time)
    {
        key = ItemKeys.FromRoute(key);
        if (MeetingKeys.Problem(key) is { } problem)
        {
            return Problems.Invalid(problem);
        }
        Quadrant? purpose = body.Purpose is { } name && Quadrants.TryParse(name, out var q) ? q : null;
        var meeting = await meetings.SetPurposeAsync(caller, key, body.On, purpose, context.RequestAborted);
        if (body.ItemId is { } itemId && mailbox.IsAvailable)
        {
            try
            {
                await mailbox.ShowPurposeAsync(caller.Id, itemId, meeting.Purpose?.Purpose, context.RequestAborted);
            }
            catch (Exception e) when (e is Microsoft.Kiota.Abstractions.ApiException or HttpRequestException)
            {
                // The purpose is stored; only its category on this copy is missing, and the next look shows it again.
                Hosting.Log.MeetingCategoryFailed(logs.CreateLogger("Workflow.Api.Meetings"), e, key, itemId);
            }
        }
        return TypedResults.Ok(View(meeting, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<AgendaView>, ProblemHttpResult>> Agenda(
        string key, DateOnly? on, [FromQuery(Name = "with")] string[]? with, [FromServices] Caller caller, HttpContext context,
        MeetingService meetings, IFollowUps followUps, TimeProvider time)
    {
        key = ItemKeys.FromRoute(key);
        if ((MeetingKeys.Problem(key) ?? MeetingKeys.DateProblem(on)) is { } problem)
        {
            return Problems.Invalid(problem);
        }
        var attendees = with ?? [];
        if (attendees.Length > MeetingService.AgendaLimit || attendees.Any(a => a.Length is 0 or > 320))
        {
            return Problems.Invalid($"with names at most {MeetingService.AgendaLimit} attendees, each an email address.");
        }
        await followUps.WaitForUserAsync(caller.Id, context.RequestAborted);
        var agenda = await meetings.AgendaAsync(caller, key, on, attendees, context.RequestAborted);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new AgendaView(agenda.Purpose, agenda.AttendeesKnown, [.. agenda.Items.Select(s => SummaryView.Of(s, now))]));
    }

    private static MeetingView View(Application.MeetingView meeting, DateTimeOffset now) => new(
        meeting.Key,
        meeting.On,
        meeting.Purpose?.Purpose,
        meeting.Purpose is { } p ? (p.On is null ? "meeting" : "occurrence") : null,
        [.. meeting.Workflows.Select(s => SummaryView.Of(s, now))],
        meeting.OthersLinked,
        [.. meeting.Outcomes.Select(o => new OutcomeView(o.WorkflowId, o.Concern, o.Event, NotificationContent.OutcomeWords(o.Event), o.By, o.ByName, o.At, o.On))]);
}
