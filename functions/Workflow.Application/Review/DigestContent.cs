using System.Net;
using System.Text;
using Workflow.Domain;
using Workflow.Domain.Review;

namespace Workflow.Application;

/// <summary>The HTML digest that carries a person's weekly review by mail.</summary>
public static class DigestContent
{
    private static readonly Dictionary<ReviewSection, (string Title, string Hint)> Sections = new()
    {
        [ReviewSection.DueForAssessment] = ("Waiting for your assessment", "Work reported done to you. Are you satisfied?"),
        [ReviewSection.MyPromisesDue] = ("Your promises due this week", "Done? Report it. Not going to make it? Renegotiate now."),
        [ReviewSection.WaitingOnMyAnswer] = ("Waiting for your answer", "Requests and changes others proposed to you."),
        [ReviewSection.NoAnswerToMe] = ("No answer yet", "Past their reply-by: nudge, extend, or withdraw?"),
        [ReviewSection.NoRecentCheckIn] = ("Time to check in", "Promises made to you that you have not asked about lately."),
        [ReviewSection.WaitingOnOthers] = ("Waiting on others", "Nothing to do but know it."),
    };

    /// <summary>
    /// An HTML mail that reads well in Outlook: tables and inline styles only, every workflow linking to the web view.
    /// </summary>
    public static string Html(
        Person person, ReviewWeek week, IReadOnlyList<ReviewItem> items, Uri appBase, DateTimeOffset now, IReadOnlyList<MeetingHeld>? meetingsHeld = null,
        PersonalFigures? figures = null)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Your weekly review</title></head>")
            .Append("<body style=\"font-family:'Segoe UI',Arial,sans-serif;color:#242424;font-size:14px;margin:0;padding:16px\">")
            .Append("<h1 style=\"font-size:20px;margin:0 0 4px\">Your weekly review</h1>")
            .Append("<p style=\"margin:0 0 16px;color:#616161\">").Append(Encode(person.DisplayName ?? person.Email))
            .Append(" · week ").Append(week.Name).Append(" (").Append(Encode(week.TimeZone.Id)).Append(")</p>");
        if (items.Count == 0)
        {
            html.Append("<p>Nothing is waiting on you or on others this week.</p>");
        }
        foreach (var group in items.GroupBy(i => i.Section))
        {
            var (title, hint) = Sections[group.Key];
            html.Append("<h2 style=\"font-size:16px;margin:20px 0 2px\">").Append(Encode(title)).Append(" (").Append(group.Count()).Append(")</h2>")
                .Append("<p style=\"margin:0 0 6px;color:#616161\">").Append(Encode(hint)).Append("</p>")
                .Append("<table role=\"presentation\" cellpadding=\"6\" cellspacing=\"0\" style=\"border-collapse:collapse;width:100%\">");
            foreach (var item in group)
            {
                var link = new Uri(appBase, $"?workflow={Uri.EscapeDataString(item.Line.Id)}");
                html.Append("<tr style=\"border-top:1px solid #e0e0e0\"><td><a href=\"").Append(Encode(link.ToString())).Append("\" style=\"color:#0f6cbd\">")
                    .Append(Encode(item.Line.Concern)).Append("</a><br><span style=\"color:#616161\">")
                    .Append(item.Line.Role == PartyRole.Customer ? "for you, by " : "you for ").Append(Encode(item.Line.Counterpart))
                    .Append("</span></td><td style=\"white-space:nowrap;text-align:right\">");
                if (item.By is { } by)
                {
                    var local = TimeZoneInfo.ConvertTime(by, week.TimeZone);
                    html.Append(item.Overdue ? "<strong style=\"color:#c50f1f\">overdue since " : "by ")
                        .Append(local.ToString("ddd d MMM", System.Globalization.CultureInfo.InvariantCulture))
                        .Append(item.Overdue ? "</strong>" : "");
                }
                if (item.Section == ReviewSection.WaitingOnOthers && item.Waiting.TotalDays >= 1)
                {
                    html.Append("<br><span style=\"color:#616161\">waiting ").Append((int)item.Waiting.TotalDays).Append(" days</span>");
                }
                html.Append("</td></tr>");
            }
            html.Append("</table>");
        }
        if (meetingsHeld is { Count: > 0 })
        {
            // The same words as the review page: what each meeting with a purpose produced, or what it should have.
            html.Append("<h2 style=\"font-size:16px;margin:20px 0 2px\">Meetings this week (").Append(meetingsHeld.Count).Append(")</h2>")
                .Append("<p style=\"margin:0 0 6px;color:#616161\">Meetings with a purpose, and whether anything came out of them.</p><ul style=\"padding-left:20px;margin:0\">");
            foreach (var meeting in meetingsHeld)
            {
                var local = TimeZoneInfo.ConvertTime(meeting.Start, week.TimeZone);
                html.Append("<li style=\"margin:4px 0\">").Append(Quadrants.Name(meeting.Purpose)).Append(" · ").Append(Encode(meeting.Subject ?? "A meeting"))
                    .Append(" <span style=\"color:#616161\">").Append(local.ToString("ddd d MMM", System.Globalization.CultureInfo.InvariantCulture))
                    .Append(" · ").Append(MeetingHeldWords(meeting)).Append("</span></li>");
            }
            html.Append("</ul>");
        }
        if (figures is { Sentences.Count: > 0 })
        {
            // The person's own figures, in the pane's words, beside the weeks' chart; no one else's mail ever carries them.
            html.Append("<h2 style=\"font-size:16px;margin:20px 0 2px\">Your figures, last 4 weeks</h2>")
                .Append("<p style=\"margin:0 0 6px;color:#616161\">Private to you: no one else sees them.</p>");
            WeekChart(figures.ByWeek, html);
            html.Append("<ul style=\"padding-left:20px;margin:0\">");
            foreach (var sentence in figures.Sentences)
            {
                html.Append("<li style=\"margin:4px 0\">").Append(Encode(sentence)).Append("</li>");
            }
            html.Append("</ul>");
        }
        html.Append("<p style=\"margin-top:24px;color:#616161;font-size:12px\">Sent by Workflow on ")
            .Append(now.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture))
            .Append(".</p></body></html>");
        return html.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Tallest bar of the mail's week chart, in pixels.</summary>
    private const int ChartHeight = 48;

    /// <summary>
    /// The weeks as a bar chart mail clients draw: a table whose cells hold coloured blocks (kept in green over broken in
    /// red), each week labelled with its date and counts in words, so the chart reads without colour or images too.
    /// </summary>
    private static void WeekChart(IReadOnlyList<WeekFigures> weeks, StringBuilder html)
    {
        if (weeks.Count == 0)
        {
            return;
        }
        var most = Math.Max(1, weeks.Max(w => w.Kept + w.Broken));
        html.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"6\" style=\"margin:4px 0 8px\"><tr>");
        foreach (var week in weeks)
        {
            html.Append("<td valign=\"bottom\" align=\"center\" style=\"height:").Append(ChartHeight).Append("px\">");
            Bar(week.Kept, "#107c10");
            Bar(week.Broken, "#c50f1f");
            html.Append("</td>");
        }
        html.Append("</tr><tr>");
        foreach (var week in weeks)
        {
            html.Append("<td align=\"center\" style=\"font-size:11px;color:#616161\">")
                .Append(week.Start.ToString("d MMM", System.Globalization.CultureInfo.InvariantCulture)).Append("<br>")
                .Append(week.Kept).Append(" kept, ").Append(week.Broken).Append(" broken</td>");
        }
        html.Append("</tr></table>");

        void Bar(int count, string colour)
        {
            if (count > 0)
            {
                html.Append("<div style=\"width:28px;height:").Append(Math.Max(2, count * ChartHeight / most))
                    .Append("px;background:").Append(colour).Append("\"></div>");
            }
        }
    }

    /// <summary>"2 moves came out of it", or what a meeting of that purpose should have produced and did not.</summary>
    public static string MeetingHeldWords(MeetingHeld meeting) => meeting.Moves switch
    {
        1 => "1 move came out of it",
        > 1 => $"{meeting.Moves} moves came out of it",
        _ => meeting.Purpose switch
        {
            Quadrant.Q1 => "no concern came out of it",
            Quadrant.Q2 => "no promise came out of it",
            Quadrant.Q3 => "no check-in came out of it",
            Quadrant.Q4 => "nothing was assessed in it",
            _ => "nothing came out of it",
        },
    };
}
