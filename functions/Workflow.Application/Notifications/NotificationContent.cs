using System.Globalization;
using System.Net;
using System.Text;
using Workflow.Domain;

namespace Workflow.Application;

/// <summary>What one mail says about one workflow: the workflow as it stands, and what happened since the last mail.</summary>
public sealed record WorkflowNews(WorkflowState State, PartyRole RecipientRole, IReadOnlyList<WorkflowEvent> Events, IReadOnlyList<Notice> Reminders);

/// <summary>What came out of one meeting occurrence for one person: the moves made in it in their workflows.</summary>
public sealed record MeetingNews(MeetingRef Meeting, Quadrant? Purpose, IReadOnlyList<MeetingOutcome> Outcomes);

/// <summary>The subject, plain text and HTML of a notification mail.</summary>
public sealed record MailContent(string Subject, string Text, string Html);

/// <summary>
/// The notification mail, in plain words: who did what, the terms in force and proposed, the running clock, and the
/// moves the recipient may make now — each a link that opens the workflow at that move. Text and HTML say the same.
/// </summary>
public static class NotificationContent
{
    /// <summary>
    /// One mail about one or more workflows. <paramref name="moveLink"/> gives the link that opens a workflow at a move
    /// (null move: the workflow itself).
    /// </summary>
    public static MailContent Compose(
        Addressee recipient, IReadOnlyList<WorkflowNews> news, TimeZoneInfo zone, Func<WorkflowState, Move?, Uri> moveLink, Uri preferences,
        DateTimeOffset now, Uri? stopMail = null, IReadOnlyList<MeetingNews>? meetings = null, Func<string, Uri>? workflowLink = null)
    {
        meetings ??= [];
        var subject = (news.Count, meetings.Count) switch
        {
            (1, 0) => "Workflow: " + OneLine(news[0].State.Concern, 120),
            (0, 1) => "Workflow: what came out of the meeting " + MeetingWhen(meetings[0].Meeting, meetings[0].Outcomes, zone),
            _ => $"Workflow: today's summary, {news.Count + meetings.Count} " + (meetings.Count == 0 ? "workflows" : "workflows and meetings"),
        };
        var text = new StringBuilder();
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(Encode(subject)).Append("</title></head>")
            .Append("<body style=\"font-family:'Segoe UI',Arial,sans-serif;color:#242424;font-size:14px;margin:0;padding:16px\">");
        foreach (var item in news)
        {
            Section(item, zone, moveLink, now, text, html);
        }
        foreach (var meeting in meetings)
        {
            MeetingSection(meeting, zone, workflowLink, text, html);
        }
        if (stopMail is not null)
        {
            text.Append("You get these mails because you were named a party to this workflow. To stop mails to this address, open ")
                .Append(stopMail).Append(" and choose \"Stop mails to this address\".\r\n");
            html.Append("<p style=\"margin-top:24px;color:#616161;font-size:12px\">You get these mails because you were named a party to this workflow. ")
                .Append("<a href=\"").Append(Encode(stopMail.ToString())).Append("\" style=\"color:#0f6cbd\">Stop mails to this address</a>.</p></body></html>");
        }
        else
        {
            text.Append("You get these mails because you are a party to these workflows. Choose immediate mails, a daily summary or the weekly review only, and quiet hours: ")
                .Append(preferences).Append("\r\n");
            html.Append("<p style=\"margin-top:24px;color:#616161;font-size:12px\">You get these mails because you are a party to ")
                .Append(news.Count == 1 ? "this workflow" : "these workflows")
                .Append(". <a href=\"").Append(Encode(preferences.ToString())).Append("\" style=\"color:#0f6cbd\">Immediate, daily summary or weekly only, and quiet hours</a>.</p></body></html>");
        }
        return new MailContent(subject, text.ToString(), html.ToString());
    }

    /// <summary>"What came out of the meeting on Monday 7 December (Q2, negotiate)": each move made in it, and a link to its workflow.</summary>
    private static void MeetingSection(MeetingNews meeting, TimeZoneInfo zone, Func<string, Uri>? workflowLink, StringBuilder text, StringBuilder html)
    {
        var title = "What came out of the meeting " + MeetingWhen(meeting.Meeting, meeting.Outcomes, zone)
            + (meeting.Purpose is { } purpose ? $" ({Quadrants.Name(purpose)}, {PurposeWords(purpose)})" : "");
        text.Append(title).Append(":\r\n");
        html.Append("<h2 style=\"font-size:16px;margin:16px 0 8px\">").Append(Encode(title)).Append("</h2><ul style=\"padding-left:20px;margin:0 0 16px\">");
        foreach (var outcome in meeting.Outcomes)
        {
            var line = $"{outcome.ByName} {OutcomeWords(outcome.Event)}: {OneLine(outcome.Concern, 200)}";
            var link = workflowLink?.Invoke(outcome.WorkflowId);
            text.Append("- ").Append(line).Append(link is null ? "" : " — " + link).Append("\r\n");
            html.Append("<li style=\"margin:4px 0\">").Append(Encode(line));
            if (link is not null)
            {
                html.Append(" — <a href=\"").Append(Encode(link.ToString())).Append("\" style=\"color:#0f6cbd\">open</a>");
            }
            html.Append("</li>");
        }
        text.Append("\r\n");
        html.Append("</ul>");
    }

    /// <summary>"on Monday 7 December": the occurrence's date, or the day of its first move.</summary>
    private static string MeetingWhen(MeetingRef meeting, IReadOnlyList<MeetingOutcome> outcomes, TimeZoneInfo zone)
    {
        var day = meeting.On ?? (outcomes.Count > 0 ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(outcomes[0].At, zone).DateTime) : (DateOnly?)null);
        return day is { } d ? "on " + d.ToString("dddd d MMMM", CultureInfo.InvariantCulture) : "";
    }

    private static string PurposeWords(Quadrant purpose) => purpose switch
    {
        Quadrant.Q1 => "listen",
        Quadrant.Q2 => "negotiate",
        Quadrant.Q3 => "check in",
        Quadrant.Q4 => "assess",
        _ => "",
    };

    /// <summary>A move made in a meeting, in words, by its stored event name (a name not listed here is spelled out).</summary>
    public static string OutcomeWords(string eventName) => eventName switch
    {
        "Requested" or "RequestRecorded" => "asked for",
        "Offered" => "offered",
        "Promised" or "PromiseRecorded" => "promised",
        "ReplyPromised" => "promised an answer on",
        "Countered" => "proposed other terms for",
        "CounterAccepted" => "accepted the terms of",
        "Declined" => "declined",
        "Withdrawn" => "withdrew",
        "CompletionReported" => "reported done",
        "Reneged" => "reneged on",
        "Cancelled" => "cancelled",
        "ChangeProposed" => "proposed a change to",
        "ChangeAccepted" => "accepted the change to",
        "ChangeRejected" => "rejected the change to",
        "ChangeWithdrawn" => "withdrew the change to",
        "CheckedIn" => "checked in on",
        "ProgressReported" => "reported progress on",
        "SatisfactionDeclared" => "declared satisfied with",
        "DissatisfactionDeclared" => "declared not satisfied with",
        "NoteAdded" => "added a note to",
        "Nudged" => "nudged",
        "CheckInCadenceSet" => "set check-ins for",
        "ObjectiveMarked" => "marked as objective",
        "FeedbackGiven" => "gave feedback on",
        _ => Words(eventName).ToLowerInvariant(),
    };

    private static void Section(
        WorkflowNews news, TimeZoneInfo zone, Func<WorkflowState, Move?, Uri> moveLink, DateTimeOffset now, StringBuilder text, StringBuilder html)
    {
        var state = news.State;
        var you = news.RecipientRole;
        var other = state[WorkflowState.Other(you)];
        var otherName = other.Shown();
        var open = moveLink(state, null);

        html.Append("<h2 style=\"font-size:18px;margin:0 0 4px\"><a href=\"").Append(Encode(open.ToString())).Append("\" style=\"color:#242424\">")
            .Append(Encode(state.Concern)).Append("</a></h2>")
            .Append("<p style=\"margin:0 0 12px;color:#616161\">")
            .Append(you == PartyRole.Customer ? "You are the customer; " + Encode(otherName) + " is the performer." : Encode(otherName) + " is the customer; you are the performer.")
            .Append(" Now: <strong>").Append(Encode(StateWords(state.Status))).Append("</strong></p>");
        text.Append(state.Concern).Append("\r\n")
            .Append(you == PartyRole.Customer ? $"You are the customer; {otherName} is the performer." : $"{otherName} is the customer; you are the performer.")
            .Append(" Now: ").Append(StateWords(state.Status)).Append("\r\n\r\n");
        if (PartOfWords(state, you) is { } partOf)
        {
            html.Append("<p style=\"margin:0 0 12px;color:#616161\">").Append(Encode(partOf)).Append("</p>");
            text.Append(partOf).Append("\r\n\r\n");
        }

        foreach (var e in news.Events)
        {
            var line = What(e, state, you, zone);
            text.Append("* ").Append(line).Append(" (").Append(When(e.At, zone)).Append(")\r\n");
            html.Append("<p style=\"margin:0 0 6px\">").Append(Encode(line))
                .Append(" <span style=\"color:#616161\">· ").Append(Encode(When(e.At, zone))).Append("</span></p>");
        }
        foreach (var reminder in news.Reminders)
        {
            var line = Reminder(reminder, state, you, zone);
            text.Append("* ").Append(line).Append("\r\n");
            html.Append("<p style=\"margin:0 0 6px\"><strong>").Append(Encode(line)).Append("</strong></p>");
        }

        text.Append("\r\n");
        html.Append("<table role=\"presentation\" cellpadding=\"6\" cellspacing=\"0\" style=\"border-collapse:collapse;margin:8px 0\">");
        if (state.Promised is { } promised)
        {
            Terms("Agreed", promised, zone, text, html);
        }
        if (state.Proposed is { } proposed)
        {
            Terms(state.Promised is null ? "Proposed" : "Proposed change", proposed, zone, text, html);
        }
        if (state.Clocks.Next is { } clock)
        {
            var whose = state.WhoseMove == you ? "Your move" : $"{otherName}'s move";
            var by = $"{whose}, {ClockWords(clock.Kind)} {When(clock.At, zone)}";
            text.Append(by).Append("\r\n");
            html.Append("<tr><td style=\"color:#616161\">Clock</td><td>").Append(Encode(by)).Append("</td></tr>");
        }
        html.Append("</table>");

        // The conversation's moves; setting up the record (cadence, objective, sharing) is done in the add-in.
        var moves = TransitionTable.AvailableMoves(state, you, now)
            .Where(m => m is not (Move.Note or Move.Repeat or Move.SetCheckIns or Move.MarkObjective or Move.ShareWithParent)).ToList();
        if (moves.Count > 0)
        {
            text.Append("\r\nWhat you can do now:\r\n");
            html.Append("<p style=\"margin:12px 0 4px\">What you can do now:</p><p style=\"margin:0 0 8px\">");
            foreach (var move in moves)
            {
                var link = moveLink(state, move).ToString();
                text.Append("  ").Append(MoveWords(move)).Append(": ").Append(link).Append("\r\n");
                html.Append("<a href=\"").Append(Encode(link))
                    .Append("\" style=\"display:inline-block;margin:0 8px 8px 0;padding:6px 12px;border:1px solid #0f6cbd;border-radius:4px;color:#0f6cbd;text-decoration:none\">")
                    .Append(Encode(MoveWords(move))).Append("</a>");
            }
            html.Append("</p>");
        }
        text.Append("Open it: ").Append(open).Append("\r\n\r\n");
        html.Append("<p style=\"margin:0 0 24px\"><a href=\"").Append(Encode(open.ToString())).Append("\" style=\"color:#0f6cbd\">Open the workflow</a></p>");
    }

    private static void Terms(string label, Terms terms, TimeZoneInfo zone, StringBuilder text, StringBuilder html)
    {
        var due = terms.DueBy is { } d ? " — by " + When(d, zone) : "";
        text.Append(label).Append(": ").Append(terms.Conditions).Append(due).Append("\r\n");
        html.Append("<tr><td style=\"color:#616161;vertical-align:top\">").Append(Encode(label)).Append("</td><td>")
            .Append(Encode(terms.Conditions)).Append(Encode(due)).Append("</td></tr>");
    }

    /// <summary>One event in the words of <paramref name="reader"/>, the party of <paramref name="state"/> who reads about it.</summary>
    public static string What(WorkflowEvent e, WorkflowState state, PartyRole reader, TimeZoneInfo zone) => e switch
    {
        // Told of what they themselves recorded: only the holder, of the cycle their role's schedule opened.
        RequestRecorded or Promised when e.By == reader && state.Cycle is { } cycle =>
            $"A new cycle of your role '{cycle.RoleName}' has started: it is due {When(cycle.Due, zone)}.",
        HandoverLeft left when reader == PartyRole.Customer =>
            $"{left.To.Shown()} did not take this cycle over: {state.Performer.Shown()} remains its performer.",
        _ => What(e, state[e.By].DisplayName ?? state[e.By].Email, zone),
    };

    /// <summary>One event as anyone reads it, <paramref name="actor"/> having made it.</summary>
    private static string What(WorkflowEvent e, string actor, TimeZoneInfo zone) => e switch
    {
        WorkflowOpened { Cycle: { } c } => $"A new cycle of {actor}'s role '{c.RoleName}' has started for you: it is due {When(c.Due, zone)}.",
        // Named from the event, not the actor: by the time the mail goes out, the new holder may be the performer.
        HandoverOffered h => $"{h.From.Shown()} handed the role over to {h.To.Shown()}, who is offered this cycle; until they take it, {h.From.Shown()} keeps it.",
        PerformerHandedOver h => $"{h.To.Shown()} took this cycle over from {h.From.Shown()} and is its performer now.",
        HandoverLeft h => $"{h.To.Shown()} left this cycle with you: you remain its performer.",
        Requested r => $"{actor} asked you: {r.Terms.Conditions}{Due(r.Terms, zone)}. Please answer by {When(r.ReplyBy, zone)}.",
        Offered o => $"{actor} offered: {o.Terms.Conditions}{Due(o.Terms, zone)}. Please answer by {When(o.ReplyBy, zone)}.",
        Countered c => $"{actor} proposed other terms: {c.Terms.Conditions}{Due(c.Terms, zone)}. Please answer by {When(c.ReplyBy, zone)}.",
        Promised => $"{actor} promised.",
        CounterAccepted => $"{actor} accepted your terms: it is a promise now.",
        Declined d => $"{actor} declined{Reason(d.Reason)}.",
        Withdrawn w => $"{actor} withdrew{Reason(w.Reason)}.",
        ReplyPromised p => $"{actor} will answer by {When(p.ReplyBy, zone)}.",
        CompletionReported r => $"{actor} reports it done{Reason(r.Text)}. Please assess by {When(r.AssessBy, zone)}: satisfied, or what is missing?",
        Reneged r => $"{actor} will not keep the promise{Reason(r.Reason)}.",
        Cancelled c => $"{actor} cancelled{Reason(c.Reason)}.",
        ChangeProposed c => $"{actor} proposes a change: {c.Terms.Conditions}{Due(c.Terms, zone)}. Please answer by {When(c.ReplyBy, zone)}.",
        ChangeAccepted => $"{actor} accepted the change: the new terms are the promise now.",
        ChangeRejected r => $"{actor} rejected the change{Reason(r.Reason)}; the agreed terms stay.",
        ChangeWithdrawn w => $"{actor} withdrew the proposed change{Reason(w.Reason)}; the agreed terms stay.",
        CheckedIn c => $"{actor} checked in: how is it going?{Quote(c.Text)}",
        ProgressReported p => $"{actor} reported progress{Reason(p.Text)}.",
        SatisfactionDeclared s => $"{actor} is satisfied{Reason(s.Text)}. The loop is closed — thank you.",
        DissatisfactionDeclared d => $"{actor} is not satisfied yet. Missing: {d.Gaps}",
        NoteAdded n => $"{actor} wrote: {n.Text}",
        Nudged n => $"{actor} nudged you for an answer{(n.ReplyBy is { } later ? $"; you now have until {When(later, zone)}" : "")}.{Quote(n.Text)}",
        RequestRecorded r => $"{actor} recorded your request from your mail: {r.Terms.Conditions}{Due(r.Terms, zone)}. Not what you asked? Propose a change or withdraw.",
        PromiseRecorded p => $"{actor} recorded your promise from your mail: {p.Terms.Conditions}{Due(p.Terms, zone)}. Not what you promised? Propose a change.",
        CheckInCadenceSet { EveryDays: { } days } => $"{actor} will check in every {days} day{(days == 1 ? "" : "s")}.",
        CheckInCadenceSet => $"{actor} stopped the regular check-ins.",
        ObjectiveMarked o => o.Objective ? $"{actor} marked the concern an objective." : $"{actor} no longer marks the concern an objective.",
        SharedWithParent s => s.Shared
            ? $"{actor} shows this work to the customer of the promise it serves."
            : $"{actor} no longer shows this work to the customer of the promise it serves.",
        FeedbackGiven f => $"{actor} gave feedback: {FeedbackWords(f.Answers)}{Quote(f.Text)}",
        _ => $"{actor}: {Words(EventNames.ApiName(e))}.",
    };

    /// <summary>The answers of a feedback in words ("result met: yes; kept informed: partly").</summary>
    public static string FeedbackWords(FeedbackAnswers answers)
    {
        var said = new (string Question, Answer? Answer)[]
        {
            ("result met", answers.ResultMet), ("kept informed", answers.KeptInformed), ("concern clear", answers.ConcernClear),
            ("conditions negotiable", answers.ConditionsNegotiable), ("check-ins helped", answers.CheckInsHelped),
        }.Where(a => a.Answer is not null).Select(a => $"{a.Question}: {WorkflowDecider.Name(a.Answer!.Value)}").ToList();
        return said.Count == 0 ? "in words." : string.Join("; ", said) + ".";
    }

    /// <summary>Where a child stands towards the promise it serves, as its reader is to understand it.</summary>
    private static string? PartOfWords(WorkflowState state, PartyRole you) => state.Parent switch
    {
        null => null,
        { Relation: ChildRelation.Dual } p => you == PartyRole.Performer
            ? $"This is what {state.Customer.Shown()} needs from you to keep their promise to you: {p.Concern}"
            : $"What you need from {state.Performer.Shown()} to keep your promise: {p.Concern}",
        { Relation: ChildRelation.Delegated } p => you == PartyRole.Customer
            ? $"Part of your promise: {p.Concern}"
            : $"Part of a larger promise {state.Customer.Shown()} made.",
        _ => null,
    };

    private static string Reminder(Notice reminder, WorkflowState state, PartyRole you, TimeZoneInfo zone)
    {
        var at = reminder.ClockAt is { } clockAt ? When(clockAt, zone) : "soon";
        var overdue = reminder.ClockAt is { } due && due <= reminder.At;
        if (reminder.Clock is null)
        {
            return $"Time to check in: nobody has asked how it is going since {at}. A word now is cheaper than a surprise at the due date.";
        }
        return (reminder.Clock, state.WhoseMove == you) switch
        {
            (ClockKind.ReplyBy, false) => overdue
                ? $"No answer yet: the reply was due {at}. Nudge, extend, or withdraw?"
                : $"Reminder: the answer is due {at}.",
            (ClockKind.ReplyBy, _) => $"Reminder: your answer is due {at}.",
            (ClockKind.DueBy, _) => $"Reminder: your promise is due {at}. Done? Report it. Not going to make it? Propose a change now.",
            (ClockKind.AssessBy, _) => $"Reminder: please assess the work by {at} — satisfied, or what is missing?",
            _ => $"Reminder: {at}.",
        };
    }

    public static string MoveWords(Move move) => move switch
    {
        Move.Request => "Request",
        Move.Offer => "Offer",
        Move.Withdraw => "Withdraw",
        Move.Promise => "Promise",
        Move.Counter => "Propose other terms",
        Move.Decline => "Decline",
        Move.CommitToCommit => "Answer later",
        Move.Accept => "Accept",
        Move.ReportComplete => "Report done",
        Move.Renege => "Renege",
        Move.Cancel => "Cancel",
        Move.ProposeChange => "Propose a change",
        Move.AcceptChange => "Accept the change",
        Move.RejectChange => "Reject the change",
        Move.WithdrawChange => "Withdraw the change",
        Move.CheckIn => "Check in",
        Move.ReportProgress => "Report progress",
        Move.DeclareSatisfied => "Satisfied",
        Move.DeclareNotSatisfied => "Not yet satisfied",
        Move.Nudge => "Nudge",
        Move.SetCheckIns => "Set check-ins",
        Move.MarkObjective => "Mark as objective",
        Move.ShareWithParent => "Share upward",
        Move.GiveFeedback => "Give feedback",
        _ => Words(WorkflowDecider.Name(move)),
    };

    private static string StateWords(WorkflowStatus status) => status switch
    {
        WorkflowStatus.Draft => "draft (Q1)",
        WorkflowStatus.Requested => "asked (Q2)",
        WorkflowStatus.Countered => "other terms proposed (Q2)",
        WorkflowStatus.Promised => "promised (Q3)",
        WorkflowStatus.Renegotiating => "change proposed (Q2)",
        WorkflowStatus.Reported => "done? awaiting assessment (Q4)",
        WorkflowStatus.Satisfied => "satisfied (closed)",
        WorkflowStatus.Reneged => "reneged (closed)",
        WorkflowStatus.Declined => "declined (closed)",
        _ => "cancelled (closed)",
    };

    private static string ClockWords(ClockKind kind) => kind switch
    {
        ClockKind.ReplyBy => "answer by",
        ClockKind.DueBy => "due by",
        _ => "assess by",
    };

    /// <summary>A time as the recipient reads it: their zone, named.</summary>
    public static string When(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture) + " (" + zone.Id + ")";

    private static string Due(Terms terms, TimeZoneInfo zone) => terms.DueBy is { } d ? ", by " + When(d, zone) : "";

    private static string Reason(string? text) => string.IsNullOrWhiteSpace(text) ? "" : ": " + OneLine(text, 500);

    private static string Quote(string? text) => string.IsNullOrWhiteSpace(text) ? "" : " “" + OneLine(text, 500) + "”";

    /// <summary>camelCase to words ("reportComplete" → "report complete"), for a move or event without words of its own yet.</summary>
    private static string Words(string camel) =>
        string.Concat(camel.Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : c.ToString()));

    private static string OneLine(string text, int max)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
