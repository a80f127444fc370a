using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Api.Application;
using Workflow.Api.Identity;
using Workflow.Domain;
using Workflow.Domain.Review;
using Workflow.Api.Review;
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

    public sealed record ReviewView(string Week, string TimeZone, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ReviewItemView> Items);

    public sealed record ReviewItemView(
        ReviewSection Section, string Id, string Concern, PartyRole YourRole, WorkflowStatus State, string StateLabel,
        string Counterpart, DateTimeOffset? By, bool Overdue, int WaitingDays, string? AssessmentMeeting);

    private static async Task<Results<Ok<ReviewView>, ProblemHttpResult>> Get(
        HttpContext context, IWorkflowIndex index, IIndexUpdates updates, IPeople people, IMailbox mailbox, TimeProvider time,
        string? week, string? timeZone)
    {
        var user = CallerIdentity.UserOf(context.User)!;
        var zoneName = timeZone ?? (await people.FindAsync(user, context.RequestAborted))?.TimeZone ?? "UTC";
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
        await updates.WaitForUserAsync(user, context.RequestAborted);
        var items = await DigestContent.ReviewAsync(index, user, reviewWeek, now, context.RequestAborted);
        var meetings = await AssessmentMeetingsAsync(mailbox, user, items, reviewWeek, context.RequestAborted);
        return TypedResults.Ok(new ReviewView(reviewWeek.Name, zone.Id, reviewWeek.Start, reviewWeek.End,
            [.. items.Select(i => new ReviewItemView(i.Section, i.Line.Id, i.Line.Concern, i.Line.Role, i.Line.Status,
                Workflows.WorkflowView.LabelOf(i.Line.Status), i.Line.Counterpart, i.By, i.Overdue, (int)i.Waiting.TotalDays,
                meetings?.GetValueOrDefault(i.Line.Id)))]));
    }

    /// <summary>
    /// For what is due to be assessed or delivered: is a meeting tagged for that workflow on the calendar before it
    /// falls due ("scheduled"), or not ("missing")? Null where no calendar can be read.
    /// </summary>
    private static async Task<Dictionary<string, string>?> AssessmentMeetingsAsync(
        IMailbox mailbox, UserId user, IReadOnlyList<ReviewItem> items, ReviewWeek week, CancellationToken cancellationToken)
    {
        var due = items.Where(i => i.Section is ReviewSection.DueForAssessment or ReviewSection.MyPromisesDue).ToList();
        if (!mailbox.IsAvailable || due.Count == 0)
        {
            return null;
        }
        var until = due.Max(i => i.By ?? week.End);
        var slots = await mailbox.CalendarAsync(user, week.Start, until > week.End ? until : week.End, cancellationToken);
        return due.ToDictionary(
            i => i.Line.Id,
            i => slots.Any(s => s.WorkflowId == i.Line.Id && (i.By is null || s.Start <= i.By)) ? "scheduled" : "missing");
    }
}

public static class TimeZones
{
    /// <summary>An IANA time zone, or null. (Windows zone names need ICU, which this service runs without.)</summary>
    public static TimeZoneInfo? Find(string id)
    {
        if (id.Length is 0 or > 64 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+')))
        {
            return null;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
