using Microsoft.Extensions.Logging;
using Workflow.Domain;

namespace Workflow.Application;

public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>How long an immediate notice waits for more moves on the same workflow, so a burst becomes one mail.</summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often this process looks for notices that are due (and reminders, every <see cref="ReminderInterval"/>).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a sender's claim on a mail holds before another may take it over (after a crash mid-send).</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after a commit that tells someone its follow-ups stay the committing instance's own: it holds an
    /// immediate notice in memory until due, mails it and crosses the commit off in one request, and the sweep leaves the
    /// commit alone until then (docs/decisions/0017). Zero, or no <see cref="CoalesceWindow"/>: every notice goes
    /// through the recipient's box.
    /// </summary>
    public TimeSpan HoldLease { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>A mail that failed this many times is given up and logged, not retried for ever.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>How long a personal link in a mail to someone outside the organisation works.</summary>
    public TimeSpan GuestLinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long before a clock runs out its party is reminded.</summary>
    public TimeSpan ReminderLead { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long after a meeting's first move its outcomes are mailed to the parties: when the meeting is over. Moves made
    /// in it until then are in that one mail.
    /// </summary>
    public TimeSpan OutcomesAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the reminder pass runs. Zero turns it off.</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// The <see cref="Notify"/> follow-up: turns a commit's notify rows into notices, timed by the recipient's preferences —
/// held for a mail from memory when the commit is this instance's and the notice waits out the coalescing window
/// (<see cref="HeldMails"/>), otherwise added to the recipient's box. Adding a notice twice keeps one, so a repeated
/// dispatch tells nobody twice.
/// </summary>
public sealed class Notifier(
    IWorkflowStore store, IPeopleRegistry people, INoticeBox box, NotificationOptions options, HeldMails? held = null, IMailSender? mail = null)
{
    /// <summary>Records the notices from what is stored now: the state as it stands, and the events they tell of.</summary>
    public async Task RecordAsync(string workflowId, IReadOnlyList<Notify> owed, CancellationToken cancellationToken)
    {
        if (owed.Count == 0)
        {
            return;
        }
        // The state and the events to tell of, in one query.
        var loaded = await store.LoadWithEventsAsync(workflowId, owed.Min(n => n.Version), owed.Max(n => n.Version), cancellationToken)
            ?? throw new InvalidOperationException($"Workflow {workflowId} owes notices but cannot be read.");
        await RecordAsync(loaded.State, loaded.Events, owed, cancellationToken);
    }

    /// <summary>
    /// Records the notices of <paramref name="owed"/>, told of <paramref name="events"/> (which hold theirs) to the
    /// parties of <paramref name="state"/>: right after a commit, from what it stored, with no read of the workflow.
    /// </summary>
    public async Task RecordAsync(WorkflowState state, IReadOnlyList<StoredEvent> events, IReadOnlyList<Notify> owed, CancellationToken cancellationToken)
    {
        foreach (var (recipient, notices) in await NoticesAsync(state, events, owed, cancellationToken))
        {
            await box.AddAsync(recipient, notices, cancellationToken);
        }
    }

    /// <summary>
    /// Tells the parties of <paramref name="commit"/>, just stored by this instance, of <paramref name="owed"/>. A commit
    /// leased to this instance whose one notice waits out the coalescing window has it held for a mail from memory, which
    /// crosses off <paramref name="done"/> and the notify row once it went; anything else goes into the box. A second
    /// notice for a party whose mail is still held displaces it: both go into the box (one mail), and the displaced
    /// commit's rows are done with this one's.
    /// </summary>
    public async Task<Told> TellAsync(Commit commit, IReadOnlyList<Notify> owed, IReadOnlyList<FollowUp> done, CancellationToken cancellationToken)
    {
        held?.Saw(commit.State);
        var told = await NoticesAsync(commit.State, commit.Events, owed, cancellationToken);
        if (held is not null && commit.LeaseUntil is { } lease && owed.Count == 1
            && told is [(var recipient, [var notice])] && held.CanHold(notice, lease))
        {
            var moved = commit.Events.Single(e => e.Version == notice.Version).Event;
            var zone = TimeZones.Find(notice.TimeZone ?? "") ?? TimeZoneInfo.Utc;
            var (isHeld, displaced) = held.Hold(new HeldMail(notice, recipient, zone, commit.State, moved, lease, [.. done, .. owed]));
            if (isHeld)
            {
                return new Told(true, []);
            }
            told = displaced!.Recipient.Key == recipient.Key
                ? [(recipient, [displaced.Notice, notice])]
                : [(displaced.Recipient, [displaced.Notice]), (recipient, [notice])];
            foreach (var (to, notices) in told)
            {
                await box.AddAsync(to, notices, cancellationToken);
            }
            return new Told(false, displaced.CrossOff);
        }
        foreach (var (to, notices) in told)
        {
            await box.AddAsync(to, notices, cancellationToken);
        }
        return Told.Recorded;
    }

    /// <summary>
    /// Whether the notice of a leased commit went out in a mail this or another instance held for it: a crash after the
    /// send and before the cross-off. The sweep asks, after the lease, before it records the notice in the box.
    /// </summary>
    public async Task<bool> WentInHeldMailAsync(string workflowId, Notify notify, CancellationToken cancellationToken) =>
        mail is not null && await mail.WasSentAsync(HeldMails.DeduplicationId(workflowId, notify.Version, notify.Recipient), cancellationToken);

    /// <summary>The notices owed to each recipient, each timed by their preferences (none for weekly, former or stopped ones).</summary>
    private async Task<List<(Addressee Recipient, IReadOnlyList<Notice> Notices)>> NoticesAsync(
        WorkflowState state, IReadOnlyList<StoredEvent> events, IReadOnlyList<Notify> owed, CancellationToken cancellationToken)
    {
        var told = new List<(Addressee, IReadOnlyList<Notice>)>();
        if (owed.Count == 0)
        {
            return told;
        }
        var workflowId = state.Id;
        var byVersion = events.ToDictionary(e => e.Version);
        foreach (var forRole in owed.GroupBy(n => n.Recipient))
        {
            if (state[forRole.Key].IsFormer)
            {
                continue; // Told of a move made before they left, recorded after: nobody is behind the tombstone (ADR 0016).
            }
            // The party as they stand in this state: someone bound since the move is told at their own address.
            var recipient = Addressee.Of(state[forRole.Key]);
            if (recipient.User is null && await box.IsStoppedAsync(recipient, cancellationToken))
            {
                continue; // Someone outside the organisation asked for no more mail; the workflow goes on without it.
            }
            var preferences = await PreferencesOfAsync(people, recipient, cancellationToken);
            var zone = TimeZones.Find(preferences.TimeZone) ?? TimeZoneInfo.Utc;
            var notices = new List<Notice>();
            foreach (var notify in forRole)
            {
                if (!byVersion.TryGetValue(notify.Version, out var stored)
                    || Delivery.DueAt(preferences, zone, stored.Event.At, options.CoalesceWindow) is not { } due)
                {
                    continue;
                }
                notices.Add(new Notice(workflowId, Notice.MoveId(workflowId, notify.Version), NoticeKind.Move, notify.Version, forRole.Key, stored.Event.At, due)
                    .TimedBy(preferences));
            }
            if (notices.Count > 0)
            {
                told.Add((recipient, notices));
            }
        }
        return told;
    }

    /// <summary>A person's preferences; someone outside the organisation (not in the registry) gets immediate mail in UTC.</summary>
    internal static async Task<NotificationPreferences> PreferencesOfAsync(IPeopleRegistry people, Addressee recipient, CancellationToken ct) =>
        recipient.User is { } user && await people.FindAsync(user, ct) is { } person ? person.Preferences : NotificationPreferences.Default;
}

/// <summary>What one pass of the mailer did.</summary>
public sealed record MailRun(int Sent, int TakenOver, int Failed);

/// <summary>
/// Mails the notices that are due: one mail per workflow for people who want to hear at once (every notice on that
/// workflow due within the coalescing window rides along; one held longer, by quiet hours, waits for its own time),
/// one summary for people who want a daily one. Each mail is claimed before it is sent and marked after; a claim a
/// crash left behind is taken over by one sender, which first asks whether the mail went out — so each notice is
/// mailed exactly once, however many senders run and whenever one dies.
/// </summary>
public sealed class NotificationMailer(
    INoticeBox box, IWorkflowStore store, IPeopleRegistry people, IMailSender mail, ITeamsNotifier teams, IGuestLinks guestLinks,
    IMeetingStore meetings, NotificationOptions options, DigestOptions links, TimeProvider time, ILogger<NotificationMailer> logger,
    HeldMails? held = null, IOutbox? outbox = null)
{
    public const int MaxNoticesPerMail = 99;

    private DateTimeOffset _lastAbandonedCheck = DateTimeOffset.MinValue;

    /// <summary>One pass: the mails this instance holds that are due, then the boxes.</summary>
    public async Task<MailRun> RunAsync(CancellationToken cancellationToken)
    {
        var fromMemory = await SendHeldAsync(cancellationToken);
        var fromBoxes = await RunBoxesAsync(cancellationToken);
        return new MailRun(fromMemory.Sent + fromBoxes.Sent, fromBoxes.TakenOver, fromMemory.Failed + fromBoxes.Failed);
    }

    /// <summary>
    /// Sends the mails this instance holds that are due (docs/decisions/0017), each composed from the commit it holds,
    /// and crosses each one's commit off once it went: that one request is its mark. A mail that fails, or is found too
    /// close to the end of its lease, is left to the sweep, which after the lease asks whether it went before the
    /// notice goes into the box.
    /// </summary>
    public async Task<MailRun> SendHeldAsync(CancellationToken cancellationToken)
    {
        int sent = 0, failed = 0;
        if (held is null || outbox is null)
        {
            return new MailRun(sent, 0, failed);
        }
        var now = time.GetUtcNow();
        foreach (var due in held.TakeDue(now))
        {
            var workflowId = due.Notice.WorkflowId;
            if (!HeldMails.MaySend(due, now))
            {
                Log.HeldMailLate(logger, workflowId, due.Recipient.Key);
                continue;
            }
            try
            {
                using var withinLease = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                withinLease.CancelAfter(HeldMails.SendTimeout);
                var role = due.Notice.RecipientRole;
                await SendAsync(due.Recipient, due.DeduplicationId, due.Zone, _ => Task.FromResult<(List<WorkflowNews>, List<MeetingNews>)>(
                    // Never tell anyone of a workflow they cannot see, nor a former colleague of anything.
                    (due.State.IsVisibleTo(role) && !due.State[role].IsFormer ? [new WorkflowNews(due.State, role, [due.Event], [])] : [], [])),
                    withinLease.Token);
                held.Sent(due);
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.HeldMailFailed(logger, e, workflowId, due.Recipient.Key);
                failed++;
                continue;
            }
            try
            {
                await outbox.DoneAsync(workflowId, due.CrossOff, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The mail went: after the lease the sweep finds it did, and crosses the commit off.
                Log.FollowUpFailed(logger, e, "notify", workflowId);
            }
        }
        return new MailRun(sent, 0, failed);
    }

    /// <summary>
    /// This instance is stopping: the mails it holds go into their recipients' boxes, for the next pass of any instance,
    /// and their commits are crossed off. Whatever fails here is the sweep's after the lease.
    /// </summary>
    public async Task HandOverHeldAsync(CancellationToken cancellationToken)
    {
        if (held is null || outbox is null)
        {
            return;
        }
        foreach (var mail in held.TakeAll(time.GetUtcNow()))
        {
            try
            {
                await box.AddAsync(mail.Recipient, [mail.Notice], cancellationToken);
                await outbox.DoneAsync(mail.Notice.WorkflowId, mail.CrossOff, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.FollowUpFailed(logger, e, "notify", mail.Notice.WorkflowId);
            }
        }
    }

    private async Task<MailRun> RunBoxesAsync(CancellationToken cancellationToken)
    {
        int sent = 0, takenOver = 0, failed = 0;
        var now = time.GetUtcNow();
        // Notices due within the coalescing window come with the due ones, so a burst still goes as one mail.
        await foreach (var (recipient, inBox) in box.DueAsync(now, now + options.CoalesceWindow, cancellationToken))
        {
            var (frequency, zone) = await HowToTellAsync(recipient, inBox, cancellationToken);
            var dueWorkflows = inBox.Where(n => n.DueAt <= now).Select(n => n.WorkflowId).ToHashSet(StringComparer.Ordinal);
            // A daily summary is one mail; otherwise one per workflow, carrying every notice of it that came along.
            var mails = frequency == NotifyFrequency.Daily
                ? [[.. inBox.Where(n => n.DueAt <= now)]]
                : inBox.Where(n => dueWorkflows.Contains(n.WorkflowId)).GroupBy(n => n.WorkflowId).Select(g => g.ToList()).ToList();
            // A claim is one transaction: at most 99 notices ride in one mail (the rest go in the next).
            foreach (var notices in mails.Select(m => m.Take(MaxNoticesPerMail).ToList()).Where(m => m.Count > 0))
            {
                var mailId = Hashing.DerivedId(recipient.Key + "\n" + string.Join('\n', notices.Select(n => n.Id)));
                if (await box.ClaimAsync(recipient, mailId, notices, now, cancellationToken) is not { } claim)
                {
                    continue; // Another sender took these notices.
                }
                if (await TrySendAsync(claim, zone, cancellationToken))
                {
                    sent++;
                }
                else
                {
                    failed++;
                }
            }
        }

        // Claims left behind are looked for a few times per lease, not on every pass: a pass with nothing due costs one query.
        if (now - _lastAbandonedCheck < options.ClaimLease / 5)
        {
            return new MailRun(sent, takenOver, failed);
        }
        _lastAbandonedCheck = now;
        await foreach (var abandoned in box.AbandonedAsync(now - options.ClaimLease, cancellationToken))
        {
            if (await box.TakeOverAsync(abandoned, now, cancellationToken) is not { } claim)
            {
                continue;
            }
            takenOver++;
            if (await mail.WasSentAsync(DeduplicationId(claim), cancellationToken))
            {
                await box.MarkSentAsync(claim, cancellationToken); // It went out before the sender died: only the record was missing.
                continue;
            }
            if (claim.Attempt > options.MaxAttempts)
            {
                Log.NotificationGivenUp(logger, claim.Addressee.Key, claim.MailId, options.MaxAttempts);
                await box.MarkSentAsync(claim, cancellationToken);
                continue;
            }
            var (_, zone) = await HowToTellAsync(claim.Addressee, claim.Notices, cancellationToken);
            if (!await TrySendAsync(claim, zone, cancellationToken))
            {
                failed++;
            }
        }
        return new MailRun(sent, takenOver, failed);
    }

    public static string DeduplicationId(MailClaim claim) => "n-" + claim.MailId;

    /// <summary>
    /// What came out of each meeting these notices are about, as it stands now: the moves made in it in the recipient's
    /// own workflows (none for someone who is no party of any — then that meeting says nothing).
    /// </summary>
    private async Task<List<MeetingNews>> MeetingNewsAsync(Addressee recipient, IReadOnlyList<Notice> notices, CancellationToken cancellationToken)
    {
        var told = new List<MeetingNews>();
        if (recipient.User is not { } user)
        {
            return told;
        }
        foreach (var meeting in notices.Where(n => n.Kind == NoticeKind.MeetingOutcomes && n.Meeting is not null).Select(n => n.Meeting!).Distinct())
        {
            var record = await meetings.GetAsync(meeting.Key, meeting.On, cancellationToken);
            var outcomes = record.Outcomes.Where(o => o.Customer == user || o.Performer == user).OrderBy(o => o.At).ThenBy(o => o.Version).ToList();
            if (outcomes.Count > 0)
            {
                told.Add(new MeetingNews(meeting, record.PurposeOn(meeting.On)?.Purpose, outcomes));
            }
        }
        return told;
    }

    /// <summary>
    /// Summary or not, and the time zone the mail's times are in: as the newest notice was timed (the choices its due
    /// time already followed), so the person is not read again; notices stored before they kept them read the person.
    /// </summary>
    private async Task<(NotifyFrequency Frequency, TimeZoneInfo Zone)> HowToTellAsync(
        Addressee recipient, IReadOnlyList<Notice> notices, CancellationToken cancellationToken)
    {
        if (notices.Where(n => n.Frequency is not null).MaxBy(n => n.At) is { } newest)
        {
            return (newest.Frequency!.Value, (newest.TimeZone is { } name ? TimeZones.Find(name) : null) ?? TimeZoneInfo.Utc);
        }
        var preferences = await Notifier.PreferencesOfAsync(people, recipient, cancellationToken);
        return (preferences.Frequency, TimeZones.Find(preferences.TimeZone) ?? TimeZoneInfo.Utc);
    }

    private async Task<bool> TrySendAsync(MailClaim claim, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        try
        {
            // A send must end well inside the claim's lease, or another sender could take the claim over while this one
            // is still sending (the SDKs' retries after Retry-After can take minutes).
            using var withinLease = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            withinLease.CancelAfter(options.ClaimLease / 2);
            await SendAsync(claim, zone, withinLease.Token);
            await box.MarkSentAsync(claim, cancellationToken);
            return true;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.NotificationFailed(logger, e, claim.Addressee.Key, claim.MailId);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The claim stays; after its lease a sender takes it over and tries again.
            Log.NotificationFailed(logger, e, claim.Addressee.Key, claim.MailId);
            return false;
        }
    }

    private Task SendAsync(MailClaim claim, TimeZoneInfo zone, CancellationToken cancellationToken) =>
        SendAsync(claim.Addressee, DeduplicationId(claim), zone, async ct =>
        {
            var news = new List<WorkflowNews>();
            foreach (var about in claim.Notices.Where(n => n.Kind != NoticeKind.MeetingOutcomes).GroupBy(n => n.WorkflowId))
            {
                var versions = about.Where(n => n.Kind == NoticeKind.Move).Select(n => n.Version).ToList();
                // The workflow as it stands and the events to tell of, in one query (no event range for reminders alone).
                var loaded = versions.Count == 0
                    ? await store.LoadAsync(about.Key, ct) is { } current ? (current, []) : null
                    : await store.LoadWithEventsAsync(about.Key, versions.Min(), versions.Max(), ct);
                if (loaded is not var (state, stored))
                {
                    continue;
                }
                var role = about.First().RecipientRole;
                if (!state.IsVisibleTo(role) || state[role].IsFormer)
                {
                    continue; // Never tell anyone of a workflow they cannot see, nor a former colleague of anything.
                }
                var events = stored.Where(e => versions.Contains(e.Version)).Select(e => e.Event).ToList();
                news.Add(new WorkflowNews(state, role, events, [.. about.Where(n => n.Kind == NoticeKind.Reminder)]));
            }
            return (news, await MeetingNewsAsync(claim.Addressee, claim.Notices, ct));
        }, cancellationToken);

    /// <summary>
    /// Sends one mail to <paramref name="recipient"/> with what <paramref name="gather"/> finds to tell (nothing if the
    /// address asked for no more mail, or there is nothing left to tell), under <paramref name="deduplicationId"/>.
    /// </summary>
    private async Task SendAsync(
        Addressee recipient, string deduplicationId, TimeZoneInfo zone,
        Func<CancellationToken, Task<(List<WorkflowNews> News, List<MeetingNews> Meetings)>> gather, CancellationToken cancellationToken)
    {
        if (recipient.User is null && await box.IsStoppedAsync(recipient, cancellationToken))
        {
            return; // Stopped after these notices were recorded: nothing goes, and the mail is done.
        }
        var (news, meetingNews) = await gather(cancellationToken);
        if (news.Count == 0 && meetingNews.Count == 0)
        {
            return; // The workflows are gone: nothing to tell.
        }

        // Someone outside the organisation gets a personal link per workflow, made for this mail.
        var guestTokens = new Dictionary<string, string>(StringComparer.Ordinal);
        if (recipient.User is null)
        {
            var now = time.GetUtcNow();
            foreach (var item in news)
            {
                guestTokens[item.State.Id] = await guestLinks.IssueAsync(
                    new GuestGrant(item.State.Id, item.RecipientRole, recipient.Email, now, now + options.GuestLinkLifetime), cancellationToken);
            }
        }
        Uri Link(WorkflowState state, Move? move)
        {
            var query = $"?workflow={state.Id}" + (move is { } m ? "&move=" + WorkflowDecider.Name(m) : "");
            var fragment = guestTokens.TryGetValue(state.Id, out var token) ? "#guest=" + token : "";
            return new Uri(links.AppBaseUrl, query + fragment);
        }

        // Someone outside the organisation has no preferences page: their footer says how to stop the mails instead.
        var content = NotificationContent.Compose(recipient, news, zone, Link, new Uri(links.AppBaseUrl, "?view=preferences"), time.GetUtcNow(),
            stopMail: recipient.User is null && news.Count > 0 ? Link(news[0].State, null) : null, meetings: meetingNews,
            workflowLink: id => new Uri(links.AppBaseUrl, $"?workflow={id}"));
        await mail.SendAsync(new OutgoingMail(recipient.Email, recipient.DisplayName, content.Subject, content.Html, deduplicationId)
        {
            Text = content.Text,
            // One conversation per workflow and recipient: every mail about it threads under the same root.
            ThreadId = news.Count == 1 && meetingNews.Count == 0 ? $"wf-{news[0].State.Id}-{Hashing.Sha256Hex(recipient.Key)[..12]}" : null,
        }, cancellationToken);

        if (recipient.User is { } user)
        {
            foreach (var item in news)
            {
                try
                {
                    // Beside the mail, never instead of it; a feed that fails does not send the mail again.
                    await teams.NotifyAsync(user, new TeamsActivity(item.State.Id, content.Subject, Link(item.State, null)), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.TeamsNotificationFailed(logger, e, recipient.Key, item.State.Id);
                }
            }
        }
    }
}
