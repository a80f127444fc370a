using Microsoft.Extensions.Logging;
using Workflow.Domain.Review;

namespace Workflow.Application;

public sealed class DigestOptions
{
    public const string Section = "Digest";

    /// <summary>Where the links in the digest point: the add-in's web view.</summary>
    public Uri AppBaseUrl { get; set; } = new("https://localhost:3000/");

    /// <summary>How long a run's claim on one person's digest holds before another run may take it over.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>People whose digests are prepared at once (each reads their list; the mailbox limits are Graph's).</summary>
    public int Parallelism { get; set; } = 4;
}

/// <summary>
/// The calendars the weekly digest reads the meetings held from: it runs with nobody signed in, so not on anyone's
/// behalf. Application access to calendars is opt-in (<c>Graph:DigestReadsCalendars</c>, ADR 0012); without it the
/// digest says nothing of meetings and the review page, read on the person's behalf, still does.
/// </summary>
public sealed record DigestCalendars(IMailbox Mailbox);

/// <summary>What one run did.</summary>
public sealed record DigestRun(int Sent, int Empty, int Skipped, int Failed);

/// <summary>
/// The weekly review by mail. Each person's week is their own (their time zone); each digest is claimed in the ledger
/// before it is sent and marked after, so a run that fires twice, or runs again after a crash, sends each person
/// exactly one digest a week and skips nobody.
/// </summary>
public sealed class WeeklyDigestJob(
    IPeopleRegistry people, PersonalReview review, IDigestLedger ledger, IMailSender mail, DigestOptions options,
    TimeProvider time, ILogger<WeeklyDigestJob> logger, DigestCalendars? calendars = null, FigureService? figures = null)
{
    public async Task<DigestRun> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        int sent = 0, empty = 0, skipped = 0, failed = 0;
        await Parallel.ForEachAsync(people.AllAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
            async (person, ct) =>
            {
                var zone = person.TimeZone is { } id ? TimeZones.Find(id) ?? TimeZoneInfo.Utc : TimeZoneInfo.Utc;
                var week = ReviewWeek.Containing(now, zone);
                var claim = await ledger.ClaimAsync(week.Name, person.Id, now, options.ClaimLease, ct);
                if (claim is null)
                {
                    Interlocked.Increment(ref skipped);
                    return;
                }
                try
                {
                    var items = await review.ItemsAsync(person.Id, week, now, ct);
                    var held = calendars is { Mailbox.IsAvailable: true } ? await review.MeetingsHeldAsync(person.Id, now, ct, calendars.Mailbox) : null;
                    if (items.Count == 0 && held is not { Count: > 0 })
                    {
                        Interlocked.Increment(ref empty); // Nothing to say this week: no mail, but the week is done.
                    }
                    else
                    {
                        var own = figures is null ? null : await figures.OfAsync(person.Id, 4, null, ct);
                        await mail.SendAsync(new OutgoingMail(
                            person.Email, person.DisplayName, $"Your weekly review, {week.Name}: {items.Count} to look at",
                            DigestContent.Html(person, week, items, options.AppBaseUrl, now, held, own),
                            $"{week.Name}-{person.Id.TenantId}_{person.Id.ObjectId}"), ct);
                        Interlocked.Increment(ref sent);
                    }
                    await ledger.MarkSentAsync(claim, now, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.Increment(ref failed);
                    Log.DigestFailed(logger, e, person.Id.ToString());
                    await ledger.ReleaseAsync(claim, CancellationToken.None);
                }
            });
        return new DigestRun(sent, empty, skipped, failed);
    }
}
