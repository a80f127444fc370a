using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Application;
using Workflow.Api.Identity;
using Workflow.Domain;
using Workflow.Domain.Review;
using Workflow.Api.Hosting;

namespace Workflow.Api.Features.Review;

public static class ReviewEndpoints
{
    // Routes
    //   GET /api/review?week=2026-W48&timeZone=Europe/Berlin   my weekly review (defaults: this week, my saved time zone or UTC)

    public static RouteGroupBuilder MapReview(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/review").RequireAuthorization(Authentication.UserPolicy).WithTags("Review");
        group.MapGet("/", Get).Contract("getReview", "My weekly review, most urgent first", 200, 400);
        return group;
    }

    /// <summary>
    /// <see cref="MeetingsHeld"/>: the meetings of the last week that had a purpose, and the moves made in each in my
    /// workflows; null where no calendar can be read (local development, Graph not configured).
    /// </summary>
    public sealed record ReviewView(
        string Week, string TimeZone, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ReviewItemView> Items,
        IReadOnlyList<MeetingHeldView>? MeetingsHeld = null);

    /// <summary><see cref="Words"/>: what came out of it, as the digest mail says it ("no promise came out of it").</summary>
    public sealed record MeetingHeldView(string? Subject, DateTimeOffset Start, Quadrant Purpose, int Moves, string Words);

    public sealed record ReviewItemView(
        ReviewSection Section, string Id, string Concern, PartyRole YourRole, WorkflowStatus State, string StateLabel,
        string Counterpart, DateTimeOffset? By, bool Overdue, int WaitingDays, string? AssessmentMeeting)
    {
        public static ReviewItemView Of(ReviewItem i, string? assessmentMeeting) => new(
            i.Section, i.Line.Id, i.Line.Concern, i.Line.Role, i.Line.Status, Workflows.WorkflowView.LabelOf(i.Line.Status),
            i.Line.Counterpart, i.By, i.Overdue, (int)i.Waiting.TotalDays, assessmentMeeting);
    }

    private static async Task<Results<Ok<ReviewView>, ProblemHttpResult>> Get(
        [FromServices] Caller caller, HttpContext context, PersonalReview review, IFollowUps followUps, IPeopleRegistry registry,
        TimeProvider time, string? week, string? timeZone)
    {
        var user = caller.Id;
        var zoneName = timeZone ?? (await registry.FindAsync(user, context.RequestAborted))?.TimeZone ?? "UTC";
        if (TimeZones.Find(zoneName) is not { } zone)
        {
            return Problems.Invalid("timeZone must be an IANA time zone such as Europe/Berlin.");
        }
        var now = time.GetUtcNow();
        var reviewWeek = week is null ? ReviewWeek.Containing(now, zone) : ReviewWeek.Parse(week, zone);
        if (reviewWeek is null)
        {
            return Problems.Invalid("week must be an ISO week such as 2026-W48.");
        }
        await followUps.WaitForUserAsync(user, context.RequestAborted);
        var entries = await review.WithMeetingsAsync(user, reviewWeek, now, context.RequestAborted);
        var held = await review.MeetingsHeldAsync(user, now, context.RequestAborted);
        return TypedResults.Ok(new ReviewView(reviewWeek.Name, zone.Id, reviewWeek.Start, reviewWeek.End,
            [.. entries.Select(e => ReviewItemView.Of(e.Item, e.AssessmentMeeting))],
            held?.Select(m => new MeetingHeldView(m.Subject, m.Start, m.Purpose, m.Moves, DigestContent.MeetingHeldWords(m))).ToList()));
    }
}
