using Workflow.Domain;

namespace Workflow.Application;

/// <summary>
/// A move's mail, held in memory by the instance that committed the move until it falls due: its notice, whom it goes
/// to and in which zone, the newest state of the workflow this instance committed, the event it tells of, and the
/// commit's outbox rows, crossed off once it went (docs/decisions/0017).
/// </summary>
public sealed record HeldMail(
    Notice Notice, Addressee Recipient, TimeZoneInfo Zone, WorkflowState State, WorkflowEvent Event, DateTimeOffset LeaseUntil,
    IReadOnlyList<FollowUp> CrossOff)
{
    public string DeduplicationId => HeldMails.DeduplicationId(Notice.WorkflowId, Notice.Version, Notice.RecipientRole);
}

/// <summary>What telling a commit's parties did: its notice held for a mail from memory, or recorded (with rows also done).</summary>
public sealed record Told(bool Held, IReadOnlyList<FollowUp> AlsoDone)
{
    public static readonly Told Recorded = new(false, []);
}

/// <summary>
/// The mails this instance holds for the moves it committed (docs/decisions/0017). An immediate notice needs no box:
/// the commit's outbox row is its claim, leased to this instance (<see cref="Commit.LeaseUntil"/>), so no sweep touches
/// it meanwhile; the mail is composed from the commit in hand; and its mark is the cross-off of the commit's rows, one
/// request. A crash loses only the memory: after the lease the sweep asks whether the mail went
/// (<see cref="DeduplicationId"/>) and otherwise records the notice in the box as before. Each held mail is taken by one
/// sender; a second notice for the same party of the same workflow before the first went displaces it, and both go
/// through the box, where they ride in one mail.
/// </summary>
public sealed class HeldMails(NotificationOptions options)
{
    /// <summary>A held mail's send is cut off after this long (and left to the sweep).</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A held mail's send ends at least this long before its lease does: a sweep (on a clock a little off this one) never
    /// starts on a mail still being sent, and Sent Items has filed the copy by the time the sweep asks for it.
    /// </summary>
    public static readonly TimeSpan SweepMargin = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string WorkflowId, PartyRole Role), HeldMail> _held = [];

    /// <summary>The mails sent, by deduplication id, until their lease ends: the same commit dispatched again mails nothing.</summary>
    private readonly Dictionary<string, DateTimeOffset> _sent = new(StringComparer.Ordinal);

    /// <summary>The lease a commit that tells someone gets: none without a coalescing window, when nothing waits to fall due.</summary>
    public static TimeSpan LeaseFor(NotificationOptions? options) =>
        options is { } o && o.CoalesceWindow > TimeSpan.Zero && o.HoldLease > TimeSpan.Zero ? o.HoldLease : TimeSpan.Zero;

    /// <summary>The Message-ID a held mail goes with, from the notice alone, so a sweep after a crash can ask for it.</summary>
    public static string DeduplicationId(string workflowId, int version, PartyRole role) =>
        "n-" + Hashing.DerivedId($"held\n{Notice.MoveId(workflowId, version)}\n{role}");

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="notice"/> may be held under a lease until <paramref name="leaseUntil"/>: an immediate
    /// notice that waits out the coalescing window (not one quiet hours push on), which the pass after it falls due can
    /// send well before the lease ends.
    /// </summary>
    public bool CanHold(Notice notice, DateTimeOffset leaseUntil) =>
        LeaseFor(options) > TimeSpan.Zero
        && notice is { Kind: NoticeKind.Move, Frequency: NotifyFrequency.Immediate }
        && notice.DueAt == notice.At + options.CoalesceWindow
        && notice.DueAt + options.PollInterval + SendTimeout + SweepMargin <= leaseUntil;

    /// <summary>Whether a held mail may still be sent at <paramref name="now"/>; otherwise it is the sweep's, after its lease.</summary>
    public static bool MaySend(HeldMail mail, DateTimeOffset now) => now + SendTimeout + SweepMargin <= mail.LeaseUntil;

    /// <summary>
    /// Holds <paramref name="mail"/>. Returns whether it is held (true also when it already was, or went), and the mail
    /// it displaced: a notice for the same party of the same workflow not yet sent, which now goes through the box with it.
    /// </summary>
    public (bool Held, HeldMail? Displaced) Hold(HeldMail mail)
    {
        var key = (mail.Notice.WorkflowId, mail.Notice.RecipientRole);
        lock (_gate)
        {
            if (_sent.ContainsKey(mail.DeduplicationId) || (_held.TryGetValue(key, out var same) && same.DeduplicationId == mail.DeduplicationId))
            {
                return (true, null);
            }
            if (_held.Remove(key, out var previous))
            {
                return (false, previous);
            }
            _held[key] = mail;
            return (true, null);
        }
    }

    /// <summary>A later commit of a held mail's workflow: the mail shows the workflow as this state has it.</summary>
    public void Saw(WorkflowState state)
    {
        lock (_gate)
        {
            foreach (var role in new[] { PartyRole.Customer, PartyRole.Performer })
            {
                if (_held.TryGetValue((state.Id, role), out var mail) && mail.State.Version < state.Version)
                {
                    _held[(state.Id, role)] = mail with { State = state };
                }
            }
        }
    }

    /// <summary>Takes the mails due by <paramref name="now"/>: each is taken by one sender only.</summary>
    public IReadOnlyList<HeldMail> TakeDue(DateTimeOffset now) => Take(m => m.Notice.DueAt <= now, now);

    /// <summary>Takes every mail held (this instance is stopping: they go through the box instead).</summary>
    public IReadOnlyList<HeldMail> TakeAll(DateTimeOffset now) => Take(_ => true, now);

    /// <summary><paramref name="mail"/> went out: the same notice held again (its commit dispatched twice) is not sent again.</summary>
    public void Sent(HeldMail mail)
    {
        lock (_gate)
        {
            _sent[mail.DeduplicationId] = mail.LeaseUntil;
        }
    }

    private List<HeldMail> Take(Func<HeldMail, bool> which, DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var (id, _) in _sent.Where(s => s.Value < now).ToList())
            {
                _sent.Remove(id); // Past its lease the commit's rows are gone or the sweep's: nothing to remember.
            }
            var taken = _held.Where(h => which(h.Value)).ToList();
            foreach (var (key, _) in taken)
            {
                _held.Remove(key);
            }
            return [.. taken.Select(t => t.Value).OrderBy(m => m.Notice.DueAt)];
        }
    }
}
