using System.Text.RegularExpressions;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Graph;

/// <summary>
/// A person's mailbox through Microsoft Graph. Items are addressed by immutable id; a tagged item carries the
/// workflow's id in a single-value extended property (filterable by value — open extensions are not) and the
/// quadrant as an Outlook category, so the tag shows in every Outlook client.
/// </summary>
public sealed partial class GraphMailbox(Func<UserId, GraphServiceClient> clientFor) : IMailbox
{
    /// <summary>The workflow an item was last tagged for (one id, so it can be found by value).</summary>
    public const string WorkflowProperty = "String {8f3b8a6e-3c1d-4c52-9a61-5d0b7f2e4a10} Name WorkflowId";

    /// <summary>The categories, one per quadrant, each in its own colour.</summary>
    public static readonly IReadOnlyDictionary<Quadrant, (string Name, CategoryColor Color)> Categories = new Dictionary<Quadrant, (string, CategoryColor)>
    {
        [Quadrant.Q1] = ("Workflow Q1 · Listen", CategoryColor.Preset7),
        [Quadrant.Q2] = ("Workflow Q2 · Negotiate", CategoryColor.Preset3),
        [Quadrant.Q3] = ("Workflow Q3 · Execute", CategoryColor.Preset4),
        [Quadrant.Q4] = ("Workflow Q4 · Assess", CategoryColor.Preset1),
    };

    private static readonly string[] MessageFields =
        ["id", "internetMessageId", "conversationId", "subject", "from", "toRecipients", "ccRecipients", "categories"];

    private static readonly string[] EventFields =
        ["id", "iCalUId", "subject", "organizer", "attendees", "start", "end", "isOnlineMeeting", "onlineMeetingProvider", "onlineMeeting", "location", "locations", "bodyPreview", "categories", "type", "seriesMasterId"];

    public bool IsAvailable => true;

    public async Task<MailItemContext?> GetAsync(UserId mailbox, ItemKind kind, string itemId, CancellationToken cancellationToken)
    {
        var user = clientFor(mailbox).Users[mailbox.ObjectId];
        try
        {
            if (kind == ItemKind.Message)
            {
                var message = await user.Messages[itemId].GetAsync(r => r.QueryParameters.Select = MessageFields, cancellationToken);
                return message is null ? null : new MailItemContext(
                    ItemKind.Message, message.Id!, message.InternetMessageId, message.ConversationId, null, message.Subject,
                    message.From?.EmailAddress?.Address,
                    [.. (message.ToRecipients ?? []).Concat(message.CcRecipients ?? []).Select(r => r.EmailAddress?.Address).OfType<string>()],
                    null, null, null, null);
            }
            var meeting = await user.Events[itemId].GetAsync(r => r.QueryParameters.Select = EventFields, cancellationToken);
            if (meeting is null)
            {
                return null;
            }
            var (meetingKind, joinUrl) = KindOf(meeting);
            // An occurrence's iCalendar id is its own; the series is what every occurrence (and every attendee) shares.
            string? series = null;
            if (meeting.Type is EventType.Occurrence or EventType.Exception && meeting.SeriesMasterId is { } masterId)
            {
                var master = await user.Events[masterId].GetAsync(r => r.QueryParameters.Select = ["id", "iCalUId"], cancellationToken);
                series = master?.ICalUId;
            }
            var thread = meetingKind == MeetingKind.Teams && MeetingIdentity.TeamsThread(joinUrl) is null
                ? await TeamsThreadOfAsync(user, joinUrl, cancellationToken)
                : null;
            return new MailItemContext(
                ItemKind.Event, meeting.Id!, null, null, meeting.ICalUId, meeting.Subject, meeting.Organizer?.EmailAddress?.Address,
                [.. (meeting.Attendees ?? []).Select(a => a.EmailAddress?.Address).OfType<string>()],
                Instant(meeting.Start), Instant(meeting.End), meetingKind, joinUrl, series, thread);
        }
        catch (Microsoft.Graph.Models.ODataErrors.ODataError e) when (e.ResponseStatusCode == 404)
        {
            return null;
        }
    }

    public async Task TagAsync(UserId mailbox, ItemKind kind, string itemId, string workflowId, Quadrant quadrant, CancellationToken cancellationToken)
    {
        if (!Categories.TryGetValue(quadrant, out var category))
        {
            return; // A closed workflow keeps the category it had.
        }
        var graph = clientFor(mailbox);
        await EnsureCategoriesAsync(graph, mailbox, cancellationToken);
        var user = graph.Users[mailbox.ObjectId];
        var property = new SingleValueLegacyExtendedProperty { Id = WorkflowProperty, Value = workflowId };
        if (kind == ItemKind.Message)
        {
            var current = await user.Messages[itemId].GetAsync(r => r.QueryParameters.Select = ["categories"], cancellationToken);
            await user.Messages[itemId].PatchAsync(new Message
            {
                Categories = WithQuadrant(current?.Categories, category.Name),
                SingleValueExtendedProperties = [property],
            }, cancellationToken: cancellationToken);
        }
        else
        {
            var current = await user.Events[itemId].GetAsync(r => r.QueryParameters.Select = ["categories"], cancellationToken);
            await user.Events[itemId].PatchAsync(new Event
            {
                Categories = WithQuadrant(current?.Categories, category.Name),
                SingleValueExtendedProperties = [property],
            }, cancellationToken: cancellationToken);
        }
    }

    public async Task ShowPurposeAsync(UserId mailbox, string eventId, Quadrant? purpose, CancellationToken cancellationToken)
    {
        var graph = clientFor(mailbox);
        var shown = purpose is { } q && Categories.TryGetValue(q, out var category) ? category.Name : null;
        if (shown is not null)
        {
            await EnsureCategoriesAsync(graph, mailbox, cancellationToken);
        }
        var item = graph.Users[mailbox.ObjectId].Events[eventId];
        var current = await item.GetAsync(r => r.QueryParameters.Select = ["categories"], cancellationToken);
        var others = (current?.Categories ?? []).Where(c => Categories.Values.All(q => q.Name != c));
        await item.PatchAsync(new Event { Categories = [.. others, .. shown is null ? Array.Empty<string>() : [shown]] }, cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<string>> FindTaggedAsync(UserId mailbox, ItemKind kind, string workflowId, CancellationToken cancellationToken)
    {
        var user = clientFor(mailbox).Users[mailbox.ObjectId];
        var filter = $"singleValueExtendedProperties/Any(ep: ep/id eq '{WorkflowProperty}' and ep/value eq '{workflowId.Replace("'", "''", StringComparison.Ordinal)}')";
        var ids = kind == ItemKind.Message
            ? (await user.Messages.GetAsync(r => { r.QueryParameters.Filter = filter; r.QueryParameters.Select = ["id"]; r.QueryParameters.Top = 50; }, cancellationToken))?.Value?.Select(m => m.Id)
            : (await user.Events.GetAsync(r => { r.QueryParameters.Filter = filter; r.QueryParameters.Select = ["id"]; r.QueryParameters.Top = 50; }, cancellationToken))?.Value?.Select(e => e.Id);
        return [.. (ids ?? []).OfType<string>()];
    }

    public async Task<IReadOnlyList<CalendarSlot>> CalendarAsync(UserId mailbox, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        var user = clientFor(mailbox).Users[mailbox.ObjectId];
        var view = await user.CalendarView.GetAsync(r =>
        {
            r.QueryParameters.StartDateTime = windowStart.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
            r.QueryParameters.EndDateTime = windowEnd.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
            r.QueryParameters.Select = ["id", "subject", "start", "end", "categories", "iCalUId", "isOnlineMeeting", "onlineMeetingProvider",
                "onlineMeeting", "location", "locations", "bodyPreview", "type", "seriesMasterId"];
            r.QueryParameters.Expand = [$"singleValueExtendedProperties($filter=id eq '{WorkflowProperty}')"];
            r.QueryParameters.Top = 200;
            r.Headers.Add("Prefer", "outlook.timezone=\"UTC\"");
        }, cancellationToken);
        var events = (view?.Value ?? []).Where(e => e.Id is not null && Instant(e.Start) is not null && Instant(e.End) is not null).ToList();
        // An occurrence is kept under its series: each series' master is read once (a Teams or Zoom series needs none).
        var seriesIds = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var masterId in events.Where(e => IsOccurrence(e) && KindOf(e).Item1 == MeetingKind.InPerson).Select(e => e.SeriesMasterId!).Distinct())
        {
            seriesIds[masterId] = (await user.Events[masterId].GetAsync(r => r.QueryParameters.Select = ["id", "iCalUId"], cancellationToken))?.ICalUId;
        }
        // A Teams short link carries no thread: each such meeting's online meeting is read once.
        var threads = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var joinUrl in events.Select(KindOf).Where(k => k.Item1 == MeetingKind.Teams && k.Item2 is not null && MeetingIdentity.TeamsThread(k.Item2) is null)
            .Select(k => k.Item2!).Distinct(StringComparer.Ordinal))
        {
            threads[joinUrl] = await TeamsThreadOfAsync(user, joinUrl, cancellationToken);
        }
        return [.. events.Select(e =>
        {
            var (kind, joinUrl) = KindOf(e);
            var series = IsOccurrence(e) ? seriesIds.GetValueOrDefault(e.SeriesMasterId!) ?? e.SeriesMasterId : null;
            var start = Instant(e.Start)!.Value;
            return new CalendarSlot(e.Id!, e.Subject, start, Instant(e.End)!.Value,
                e.SingleValueExtendedProperties?.FirstOrDefault(p => p.Id == WorkflowProperty)?.Value, e.Categories ?? [],
                MeetingIdentity.KeyOf(kind, joinUrl, series ?? e.ICalUId, e.Id!, joinUrl is null ? null : threads.GetValueOrDefault(joinUrl)),
                IsOccurrence(e) ? DateOnly.FromDateTime(start.UtcDateTime) : null);
        })];
    }

    /// <summary>
    /// The meeting chat's thread of a Teams meeting whose join URL does not carry it (Teams' short links): Graph's online
    /// meeting names it (OnlineMeetings.Read, on the user's behalf). Null when it cannot be found or read — the meeting
    /// is then kept under its iCalendar id, and a Teams tab in it does not find that record.
    /// </summary>
    private static async Task<string?> TeamsThreadOfAsync(
        Microsoft.Graph.Users.Item.UserItemRequestBuilder user, string? joinUrl, CancellationToken cancellationToken)
    {
        if (joinUrl is null)
        {
            return null;
        }
        try
        {
            var found = await user.OnlineMeetings.GetAsync(r =>
            {
                r.QueryParameters.Filter = $"JoinWebUrl eq '{joinUrl.Replace("'", "''", StringComparison.Ordinal)}'";
                r.QueryParameters.Select = ["id", "chatInfo"];
            }, cancellationToken);
            return found?.Value?.FirstOrDefault()?.ChatInfo?.ThreadId;
        }
        catch (Microsoft.Graph.Models.ODataErrors.ODataError e) when (e.ResponseStatusCode is 400 or 403 or 404)
        {
            return null; // Not granted, or not an online meeting this user can read: keyed by its iCalendar id instead.
        }
    }

    private static bool IsOccurrence(Event e) => e.Type is EventType.Occurrence or EventType.Exception && e.SeriesMasterId is not null;

    /// <summary>
    /// Creates the quadrant categories the mailbox lacks, each once, with its own colour — in one $batch, since a
    /// new mailbox lacks all four.
    /// </summary>
    private static async Task EnsureCategoriesAsync(GraphServiceClient graph, UserId mailbox, CancellationToken cancellationToken)
    {
        var master = graph.Users[mailbox.ObjectId].Outlook.MasterCategories;
        var existing = (await master.GetAsync(cancellationToken: cancellationToken))?.Value?.Select(c => c.DisplayName).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var missing = Categories.Values.Where(c => !existing.Contains(c.Name)).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        var batch = new BatchRequestContentCollection(graph);
        foreach (var (name, color) in missing)
        {
            await batch.AddBatchRequestStepAsync(master.ToPostRequestInformation(new OutlookCategory { DisplayName = name, Color = color }));
        }
        var answers = await (await graph.Batch.PostAsync(batch, cancellationToken)).GetResponsesStatusCodesAsync();
        // 409: created meanwhile by another request — what we wanted. Anything else failed and is reported.
        if (answers.Values.FirstOrDefault(status => !((int)status is >= 200 and < 300 or 409)) is var failed && failed != default)
        {
            throw new HttpRequestException($"Creating the quadrant categories failed with {(int)failed}.", null, failed);
        }
    }

    private static List<string> WithQuadrant(List<string>? categories, string quadrant) =>
        [.. (categories ?? []).Where(c => Categories.Values.All(q => q.Name != c)), quadrant];

    private static (MeetingKind, string?) KindOf(Event meeting)
    {
        if (meeting.IsOnlineMeeting == true && meeting.OnlineMeetingProvider == OnlineMeetingProviderType.TeamsForBusiness)
        {
            return (MeetingKind.Teams, meeting.OnlineMeeting?.JoinUrl);
        }
        var places = new[] { meeting.Location?.DisplayName, meeting.Location?.LocationUri, meeting.BodyPreview }
            .Concat((meeting.Locations ?? []).SelectMany(l => new[] { l.DisplayName, l.LocationUri }));
        var zoom = places.OfType<string>().Select(p => ZoomLink().Match(p)).FirstOrDefault(m => m.Success);
        return zoom is not null ? (MeetingKind.Zoom, zoom.Value) : (MeetingKind.InPerson, null);
    }

    private static DateTimeOffset? Instant(DateTimeTimeZone? value)
    {
        if (value?.DateTime is not { } text || !DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return null;
        }
        // Graph gives wall-clock time in the zone named beside it; we ask for UTC (Prefer outlook.timezone).
        return value.TimeZone is null or "UTC" ? new DateTimeOffset(instant, TimeSpan.Zero) : null;
    }

    [GeneratedRegex(@"(https://[\w.-]*zoom\.us/(j|my)/[\w?=&.-]+|zoommtg://[^\s""<>]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ZoomLink();
}
