using System.Globalization;
using Workflow.Domain;

namespace Workflow.Application;

/// <summary>One person's facts about one workflow: their side of it (<see cref="Role"/>), and whom it was with.</summary>
public sealed record FigureRow(string WorkflowId, PartyRole Role, string Counterpart, string? CounterpartEmail, LoopFacts Facts);

/// <summary>The figures' store: one row per person and workflow, kept up to date by the projection follow-up.</summary>
public interface IFigureStore
{
    /// <summary>A person's rows that count in a week from <paramref name="since"/> on: one query of their partition.</summary>
    Task<IReadOnlyList<FigureRow>> OfAsync(UserId user, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes every row of the person's (their data being forgotten); deleting none is done.</summary>
    Task ForgetAsync(UserId user, CancellationToken cancellationToken);
}

/// <summary>The figures' writer: folds a commit's events into each party's row (the <see cref="ProjectFigures"/> follow-up).</summary>
public interface IFigureProjection
{
    /// <summary>Right after the commit, from what it stored; reads the history only for a row that is behind it.</summary>
    Task ProjectCommitAsync(Commit commit, CancellationToken cancellationToken);

    /// <summary>The sweep's way: brings each party's row up to the stored state; returns the version the rows now show.</summary>
    Task<int> ProjectAsync(string workflowId, CancellationToken cancellationToken);
}

/// <summary>
/// Sums of the facts of many loops, each from the side the rows were taken from: the performer's figures from the
/// loops performed, the customer's from the loops asked for. Counts, never names: what a team may see of its members.
/// </summary>
public sealed record FigureTotals(
    int Promises, int Kept, int KeptOrBroken, int RenegotiatedBeforeDue, int RenegotiatedAfterDue, int Reneged,
    int SatisfiedFirstTime, int SatisfiedAfterNotYet, int Answered, double? AverageHoursToAnswer,
    int CustomerAnswers, int CustomerAnswersInTime, int CheckIns, int CheckInsInCadence, int Assessments,
    double? AverageHoursToAssess, int Satisfied, int FeedbackGiven)
{
    public static FigureTotals Of(IEnumerable<FigureRow> rows)
    {
        var list = rows.ToList();
        var performed = list.Where(r => r.Role == PartyRole.Performer).Select(r => r.Facts).ToList();
        var asked = list.Where(r => r.Role == PartyRole.Customer).Select(r => r.Facts).ToList();
        var answers = performed.Where(f => f.HoursToAnswer is not null).Select(f => f.HoursToAnswer!.Value).ToList();
        var assessments = asked.Sum(f => f.Assessments);
        return new(
            performed.Count(f => f.Promised),
            performed.Count(f => f.Kept == true),
            performed.Count(f => f.Kept is not null),
            performed.Count(f => f.RenegotiatedBeforeDue > 0),
            performed.Count(f => f.RenegotiatedAfterDue > 0),
            performed.Count(f => f.Reneged),
            performed.Count(f => f.SatisfiedFirstTime == true),
            performed.Count(f => f.SatisfiedFirstTime == false),
            answers.Count,
            answers.Count == 0 ? null : Math.Round(answers.Average(), 1),
            asked.Sum(f => f.Answers),
            asked.Sum(f => f.AnswersInTime),
            asked.Sum(f => f.CheckIns),
            asked.Sum(f => f.CheckInsInCadence),
            assessments,
            assessments == 0 ? null : Math.Round(asked.Sum(f => f.AssessHours) / assessments, 1),
            asked.Count(f => f.SatisfiedFirstTime is not null),
            asked.Count(f => f.FeedbackGiven));
    }
}

/// <summary>
/// The figures in plain sentences, about whoever <c>subject</c> names ("You", "The team"); only sentences with
/// something to count are said. Pure: the pane, the API and the digest say the same.
/// </summary>
public static class FigureSentences
{
    public static string Window(int weeks) => weeks switch
    {
        4 => "in the last 4 weeks",
        13 => "this quarter",
        52 => "this year",
        _ => $"in the last {weeks} weeks",
    };

    public static IReadOnlyList<string> Of(FigureTotals t, int weeks, string subject = "You")
    {
        var window = Window(weeks);
        var they = subject == "You" ? "you" : "they";
        var said = new List<string>();
        if (t.KeptOrBroken > 0)
        {
            said.Add($"{subject} kept {t.Kept} of {t.KeptOrBroken} {Plural(t.KeptOrBroken, "promise")} by their due date {window}.");
        }
        if (t.Promises > 0 && t.RenegotiatedAfterDue + t.RenegotiatedBeforeDue > 0)
        {
            said.Add($"{subject} renegotiated {t.RenegotiatedBeforeDue} of {t.Promises} {Plural(t.Promises, "promise")} before they fell due and {t.RenegotiatedAfterDue} after {window}.");
        }
        if (t.Reneged > 0)
        {
            said.Add($"{subject} reneged on {t.Reneged} of {t.Promises} {Plural(t.Promises, "promise")} {window}.");
        }
        if (t.SatisfiedFirstTime + t.SatisfiedAfterNotYet > 0)
        {
            var total = t.SatisfiedFirstTime + t.SatisfiedAfterNotYet;
            said.Add($"{t.SatisfiedFirstTime} of {total} accepted {Plural(total, "result")} satisfied at the first report; {t.SatisfiedAfterNotYet} after a \"not yet\".");
        }
        if (t.AverageHoursToAnswer is { } hours)
        {
            said.Add($"{subject} answered {t.Answered} {Plural(t.Answered, "request")} in {Hours(hours)} on average.");
        }
        if (t.CustomerAnswers > 0)
        {
            said.Add($"{subject} answered {t.CustomerAnswersInTime} of {t.CustomerAnswers} {Plural(t.CustomerAnswers, "counter-proposal")} by their reply-by date.");
        }
        if (t.CheckIns > 0)
        {
            said.Add($"{subject} checked in {t.CheckInsInCadence} of {t.CheckIns} times within the cadence {they} set.");
        }
        if (t.AverageHoursToAssess is { } assess)
        {
            said.Add($"{subject} assessed reported work {Hours(assess)} after it was reported, on average.");
        }
        if (t.Satisfied > 0)
        {
            said.Add($"{subject} gave feedback on {t.FeedbackGiven} of {t.Satisfied} {Plural(t.Satisfied, "loop")} {they} accepted.");
        }
        return said;
    }

    private static string Plural(int n, string word) => n == 1 ? word : word + "s";

    private static string Hours(double hours) => hours < 1 ? "under an hour" : hours < 48
        ? $"{hours.ToString("0.#", CultureInfo.InvariantCulture)} {(hours == 1 ? "hour" : "hours")}"
        : $"{(hours / 24).ToString("0.#", CultureInfo.InvariantCulture)} days";
}

/// <summary>A person's figures over a window: totals, per counterpart, per week, and the sentences.</summary>
public sealed record PersonalFigures(
    int Weeks, DateTimeOffset From, FigureTotals Totals, IReadOnlyList<string> Sentences,
    IReadOnlyList<CounterpartFigures> Counterparts, IReadOnlyList<WeekFigures> ByWeek);

public sealed record CounterpartFigures(string Counterpart, string? Email, FigureTotals Totals, IReadOnlyList<string> Sentences);

/// <summary>One week's bar: loops counted in it, promises kept and broken (reneged, or reported late).</summary>
public sealed record WeekFigures(DateTimeOffset Start, int Loops, int Kept, int Broken);

/// <summary>Reads a person's figures: one query of their rows, then pure arithmetic.</summary>
public sealed class FigureService(IFigureStore store, TimeProvider time)
{
    public static readonly int[] Windows = [4, 13, 52];

    public async Task<PersonalFigures> OfAsync(UserId user, int weeks, string? with, CancellationToken cancellationToken)
    {
        var from = WeekStart(time.GetUtcNow()).AddDays(-7 * (weeks - 1));
        var rows = await store.OfAsync(user, from, cancellationToken);
        return Summarise(rows, weeks, from, with);
    }

    public static PersonalFigures Summarise(IReadOnlyList<FigureRow> rows, int weeks, DateTimeOffset from, string? with = null)
    {
        var shown = with is null
            ? rows
            : [.. rows.Where(r => string.Equals(r.CounterpartEmail, with, StringComparison.OrdinalIgnoreCase))];
        var totals = FigureTotals.Of(shown);
        var counterparts = shown
            .GroupBy(r => (r.CounterpartEmail ?? r.Counterpart).ToLowerInvariant())
            .Select(g => (Rows: g.ToList(), Totals: FigureTotals.Of(g)))
            .OrderByDescending(g => g.Rows.Count)
            .Select(g => new CounterpartFigures(g.Rows[0].Counterpart, g.Rows[0].CounterpartEmail, g.Totals, FigureSentences.Of(g.Totals, weeks)))
            .ToList();
        var byWeek = Enumerable.Range(0, weeks).Select(i => from.AddDays(7 * i)).Select(start =>
        {
            var inWeek = shown.Where(r => r.Facts.CountsAt is { } at && at >= start && at < start.AddDays(7)).ToList();
            var performed = inWeek.Where(r => r.Role == PartyRole.Performer).Select(r => r.Facts).ToList();
            return new WeekFigures(start, inWeek.Count, performed.Count(f => f.Kept == true), performed.Count(f => f.Kept == false));
        }).ToList();
        return new(weeks, from, totals, FigureSentences.Of(totals, weeks), counterparts, byWeek);
    }

    /// <summary>The Monday (UTC) of the week <paramref name="at"/> falls in: figures are bucketed by ISO week.</summary>
    public static DateTimeOffset WeekStart(DateTimeOffset at)
    {
        var day = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }
}
