using Workflow.Domain;

namespace Workflow.Application;

/// <summary>
/// A meeting's purpose as set: for the whole meeting (every occurrence of a recurring one) or for one occurrence,
/// which then overrides it. Who set it and when are kept for the record.
/// </summary>
public sealed record MeetingPurpose(Quadrant Purpose, DateOnly? On, UserId SetBy, DateTimeOffset SetAt);

/// <summary>
/// One move made in a meeting: what the meeting's outcomes list. The parties are kept with it, so each attendee is
/// shown the outcomes of their own workflows only.
/// </summary>
public sealed record MeetingOutcome(
    string MeetingKey, DateOnly? On, string WorkflowId, int Version, string Concern, string Event, PartyRole By, string ByName,
    DateTimeOffset At, UserId? Customer, UserId? Performer);

/// <summary>
/// Everything stored of one meeting: its purposes (the meeting's and its occurrences'), its outcomes, and the people
/// invited to it as an attendee's mailbox last said (empty until someone opened it from Outlook with Graph at hand).
/// </summary>
public sealed record MeetingRecord(IReadOnlyList<MeetingPurpose> Purposes, IReadOnlyList<MeetingOutcome> Outcomes, IReadOnlyList<string>? Attendees = null)
{
    /// <summary>The purpose that holds on <paramref name="on"/>: the occurrence's own, else the meeting's.</summary>
    public MeetingPurpose? PurposeOn(DateOnly? on) =>
        (on is { } day ? Purposes.FirstOrDefault(p => p.On == day) : null) ?? Purposes.FirstOrDefault(p => p.On is null);
}

/// <summary>The meeting records (one partition per meeting key).</summary>
public interface IMeetingStore
{
    /// <summary>The meeting's purposes and outcomes (of <paramref name="occurrence"/> only, when given), in one query.</summary>
    Task<MeetingRecord> GetAsync(string key, DateOnly? occurrence, CancellationToken cancellationToken);

    /// <summary>Sets (or with null clears) the purpose of the meeting, or of its occurrence on <paramref name="occurrence"/>.</summary>
    Task SetPurposeAsync(string key, DateOnly? occurrence, Quadrant? purpose, UserId by, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records outcomes; recording one twice keeps one (a follow-up may run twice).</summary>
    Task RecordAsync(IReadOnlyList<MeetingOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps who is invited (emails, lower case), as read from an attendee's own calendar: what a Teams tab, which is
    /// not told, draws the agenda between.
    /// </summary>
    Task RememberAttendeesAsync(string key, IReadOnlyCollection<string> attendees, CancellationToken cancellationToken);
}

/// <summary>What one attendee sees of a meeting.</summary>
public sealed record MeetingView(
    string Key, DateOnly? On, MeetingPurpose? Purpose, IReadOnlyList<WorkflowSummary> Workflows, int OthersLinked,
    IReadOnlyList<MeetingOutcome> Outcomes);

/// <summary>A meeting's agenda for one attendee: the workflows its purpose calls for, between the people in the room.</summary>
public sealed record MeetingAgendaView(Quadrant? Purpose, bool AttendeesKnown, IReadOnlyList<WorkflowSummary> Items);

/// <summary>
/// Meetings every attendee shares: the purpose, the linked workflows (each attendee sees those they are a party of,
/// and how many others there are), the agenda its purpose calls for, and the moves made in it.
/// </summary>
public sealed class MeetingService(IMeetingStore meetings, IWorkflowIndex index, TimeProvider time)
{
    /// <summary>The most workflows an agenda lists (its page of the caller's active list is read once).</summary>
    public const int AgendaLimit = 100;

    public async Task<MeetingView> ViewAsync(Caller caller, string key, DateOnly? on, CancellationToken ct)
    {
        var record = await meetings.GetAsync(key, on, ct);
        var (linked, others) = await index.LinkedWithOthersAsync(key, caller.Id, ct);
        // Outcomes of the caller's own workflows only: someone else's promise made in the same room is theirs.
        var outcomes = record.Outcomes
            .Where(o => o.Customer == caller.Id || o.Performer == caller.Id)
            .OrderBy(o => o.At).ThenBy(o => o.Version)
            .ToList();
        return new MeetingView(key, on, record.PurposeOn(on), linked, others, outcomes);
    }

    public async Task<MeetingView> SetPurposeAsync(Caller caller, string key, DateOnly? on, Quadrant? purpose, CancellationToken ct)
    {
        if (purpose is { } p && !MeetingAgenda.IsPurpose(p))
        {
            throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "A meeting's purpose is Q1, Q2, Q3 or Q4.");
        }
        await meetings.SetPurposeAsync(key, on, purpose, caller.Id, time.GetUtcNow(), ct);
        return await ViewAsync(caller, key, on, ct);
    }

    /// <summary>
    /// The caller's workflows the meeting's purpose calls for, with one of <paramref name="attendees"/> (emails) as the
    /// other party; every such workflow of the caller's when the attendees are not known (said in the answer).
    /// </summary>
    public async Task<MeetingAgendaView> AgendaAsync(Caller caller, string key, DateOnly? on, IReadOnlyCollection<string> attendees, CancellationToken ct)
    {
        var record = await meetings.GetAsync(key, on, ct);
        // The people the caller names, else those an attendee's calendar said were invited.
        var named = attendees.Count > 0 ? attendees : record.Attendees ?? [];
        var inRoom = named.Select(a => a.Trim().ToLowerInvariant()).Where(a => a.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (record.PurposeOn(on) is not { } purpose)
        {
            return new MeetingAgendaView(null, inRoom.Count > 0, []);
        }
        var now = time.GetUtcNow();
        var page = await index.ListAsync(caller.Id, new ListQuery(ListView.Active, null, null, null), ct);
        var items = page.Items
            .Where(w => MeetingAgenda.CallsFor(purpose.Purpose, w.Status, w.Offered, w.CheckedInAt, w.UpdatedAt, w.Clocks.DueBy, now))
            .Where(w => inRoom.Count == 0 || (w.CounterpartEmail is { } email && inRoom.Contains(email.ToLowerInvariant())))
            .OrderBy(w => w.NextClockAt ?? DateTimeOffset.MaxValue)
            .Take(AgendaLimit)
            .ToList();
        return new MeetingAgendaView(purpose.Purpose, inRoom.Count > 0, items);
    }
}

/// <summary>
/// The <see cref="RecordOutcomes"/> follow-up: the moves a commit made in a meeting become that meeting's outcomes.
/// </summary>
public sealed class OutcomeRecorder(
    IMeetingStore meetings, IWorkflowStore store, INoticeBox box, IPeopleRegistry people, NotificationOptions options)
{
    /// <summary>
    /// From what the commit stored (right after it). Each party in the organisation gets one notice per meeting
    /// occurrence: its outcomes are mailed to them once, <see cref="NotificationOptions.OutcomesAfter"/> after the
    /// first move made in it, composed from the record as it stands then.
    /// </summary>
    public async Task RecordAsync(WorkflowState state, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        var outcomes = events
            .Where(e => e.Event.InMeeting is not null)
            .Select(e => new MeetingOutcome(
                e.Event.InMeeting!.Key, e.Event.InMeeting.On, state.Id, e.Version, state.Concern, EventNames.Of(e.Event), e.Event.By,
                state[e.Event.By].Shown(), e.Event.At, state.Customer.User, state.Performer.User))
            .ToList();
        if (outcomes.Count == 0)
        {
            return;
        }
        await meetings.RecordAsync(outcomes, ct);
        foreach (var meeting in outcomes.GroupBy(o => new MeetingRef(o.MeetingKey, o.On)))
        {
            var first = meeting.Min(o => o.At);
            foreach (var role in new[] { PartyRole.Customer, PartyRole.Performer })
            {
                if (state[role].User is null || !state.IsVisibleTo(role))
                {
                    continue; // Someone outside the organisation has no meeting view to come back to; the moves' own mails tell them.
                }
                var recipient = Addressee.Of(state[role]);
                var preferences = await Notifier.PreferencesOfAsync(people, recipient, ct);
                var zone = TimeZones.Find(preferences.TimeZone) ?? TimeZoneInfo.Utc;
                if (Delivery.DueAt(preferences, zone, first, options.OutcomesAfter) is not { } due)
                {
                    continue; // Weekly only: the review tells them.
                }
                await box.AddAsync(recipient,
                    [new Notice(meeting.Key.Key, Notice.MeetingOutcomesId(meeting.Key), NoticeKind.MeetingOutcomes, 0, role, first, due, Meeting: meeting.Key)
                        .TimedBy(preferences)], ct);
            }
        }
    }

    /// <summary>From what is stored (the sweep's way).</summary>
    public async Task RecordAsync(string workflowId, int fromVersion, int toVersion, CancellationToken ct)
    {
        if (await store.LoadWithEventsAsync(workflowId, fromVersion, toVersion, ct) is var (state, events))
        {
            await RecordAsync(state, events, ct);
        }
    }
}
