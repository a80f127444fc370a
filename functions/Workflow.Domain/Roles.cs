namespace Workflow.Domain;

/// <summary>How each cycle of an accountability starts: as the customer's request, or as the holder's standing promise.</summary>
public enum CycleStart
{
    Request,
    Promise,
}

/// <summary>
/// Where a cycle came from: the role and the accountability it repeats, and the occurrence it is for (its due date).
/// Carried by the cycle's <see cref="WorkflowOpened"/>.
/// </summary>
public sealed record CycleRef(string RoleId, string RoleName, string AccountabilityId, DateTimeOffset Due);

/// <summary>
/// A recurring workflow template of a role: what each cycle is about, for whom, and when. <see cref="Schedule"/> is a
/// five-field cron expression read in <see cref="TimeZone"/> (the holder's); the cycle for an occurrence opens
/// <see cref="Lead"/> before it and is due at it. <see cref="CoveredUntil"/> is the schedule's watermark: every
/// occurrence at or before it has been opened or recorded as missed.
/// </summary>
public sealed record Accountability(
    string Id, string Concern, string Conditions, Party Customer, string Schedule, string TimeZone, TimeSpan Lead, CycleStart Start,
    DateTimeOffset CoveredUntil);

/// <summary>One spell of a person holding a role; <see cref="To"/> is null while they hold it.</summary>
public sealed record Holding(Party Holder, DateTimeOffset From, DateTimeOffset? To);

/// <summary>A cycle the role opened: the workflow, the occurrence, and the performer it was opened with.</summary>
public sealed record RoleCycle(string WorkflowId, string AccountabilityId, DateTimeOffset Due, Party Performer);

/// <summary>An open cycle offered to the new holder at a handover, until they accept it or leave it with the old one.</summary>
public sealed record HandoverOffer(string WorkflowId, string Concern, DateTimeOffset Due, Party From, Party To, DateTimeOffset At);

/// <summary>Occurrences whose due date passed while no cycle could open (the job did not run): told, never opened late.</summary>
public sealed record MissedCycles(string AccountabilityId, DateTimeOffset First, DateTimeOffset Last, int Count, DateTimeOffset NoticedAt);

/// <summary>
/// A role: a named, repeated pattern held by one person (workflow-model.md, "Roles"). Immutable, the fold of its events
/// (<see cref="RoleDecider.Evolve"/>). What it keeps of its past — who held it when, what was missed, its latest
/// cycles — is bounded, so a role's record stays one row however long it runs.
/// </summary>
public sealed record Role
{
    public const int MaxAccountabilities = 20;
    public const int MaxNameLength = 200;

    /// <summary>How many of its latest cycles a role remembers (what a handover looks through for open ones).</summary>
    public const int CyclesKept = 100;

    public const int MissedKept = 50;

    public required string Id { get; init; }
    public required int Version { get; init; }
    public required string Name { get; init; }
    public required Party Holder { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public IReadOnlyList<Holding> Holdings { get; init; } = [];
    public IReadOnlyList<Accountability> Accountabilities { get; init; } = [];
    public IReadOnlyList<RoleCycle> Cycles { get; init; } = [];
    public IReadOnlyList<HandoverOffer> Offers { get; init; } = [];
    public IReadOnlyList<MissedCycles> Missed { get; init; } = [];

    /// <summary>Idempotency records of the latest writes (<see cref="RoleKey"/>), newest last.</summary>
    public IReadOnlyList<RoleKey> RecentKeys { get; init; } = [];

    public const int KeysKept = 20;

    public bool IsHeldBy(UserId user) => Holder.User == user;

    /// <summary>Whether <paramref name="user"/> may see the role: its holder, a past holder, or someone offered a cycle of it.</summary>
    public bool IsVisibleTo(UserId user) =>
        IsHeldBy(user) || Holdings.Any(h => h.Holder.User == user) || Offers.Any(o => o.To.User == user);
}

/// <summary>A write's idempotency key (hashed, scoped to its sender) with its request's fingerprint and the version it made.</summary>
public sealed record RoleKey(string Key, string RequestHash, int Version);

/// <summary>Something that happened to a role, by <see cref="By"/> (null for the scheduled job) at <see cref="At"/>.</summary>
public abstract record RoleEvent
{
    public UserId? By { get; init; }
    public DateTimeOffset At { get; init; }
}

public sealed record RoleCreated(string Id, string Name, Party Holder) : RoleEvent;

public sealed record AccountabilityAdded(Accountability Accountability) : RoleEvent;

public sealed record AccountabilityRemoved(string AccountabilityId) : RoleEvent;

/// <summary>The job opened the cycle for one occurrence; the schedule's watermark moves to it.</summary>
public sealed record CycleOpened(RoleCycle Cycle) : RoleEvent;

/// <summary>Occurrences already past due when the job came to them (downtime): recorded, not opened.</summary>
public sealed record CyclesMissed(string AccountabilityId, DateTimeOffset First, DateTimeOffset Last, int Count) : RoleEvent;

/// <summary>The holder handed the role to <see cref="To"/>: future cycles are theirs, and each open cycle is offered to them.</summary>
public sealed record RoleHandedOver(Party From, Party To, IReadOnlyList<HandoverOffer> Offers) : RoleEvent;

/// <summary>The new holder accepted an offered cycle (it becomes theirs) or left it with the old holder.</summary>
public sealed record OfferAnswered(string WorkflowId, bool Accepted) : RoleEvent;

/// <summary>A write with an idempotency key was made: remembered so a retry is answered, not made twice.</summary>
public sealed record RoleKeyUsed(RoleKey Key) : RoleEvent;

/// <summary>What the holder (or the job) asks of a role.</summary>
public abstract record RoleCommand;

public sealed record AddAccountability(Accountability Accountability) : RoleCommand;

public sealed record RemoveAccountability(string AccountabilityId) : RoleCommand;

/// <summary>Hand the role to <see cref="To"/>; <see cref="OpenCycles"/> are the role's cycles still open, offered to them.</summary>
public sealed record HandOver(Party To, IReadOnlyList<(string WorkflowId, string Concern, DateTimeOffset Due)> OpenCycles) : RoleCommand;

public sealed record AnswerOffer(string WorkflowId, bool Accept) : RoleCommand;

/// <summary>The job's record of one accountability's run: the cycles it opened and the occurrences it found past due.</summary>
public sealed record RecordSchedule(string AccountabilityId, IReadOnlyList<RoleCycle> Opened, IReadOnlyList<DateTimeOffset> Missed) : RoleCommand;

/// <summary>The role decider's answer: the events to record, or why not.</summary>
public sealed record RoleDecision(IReadOnlyList<RoleEvent> Events, Rejection? Rejection)
{
    public bool IsAccepted => Rejection is null;

    public static RoleDecision Accept(params RoleEvent[] events) => new(events, null);

    public static RoleDecision Reject(RejectionKind kind, string message) => new([], new Rejection(kind, message));
}

/// <summary>
/// Roles as a decider: <see cref="Decide"/> turns a command into events or a rejection, <see cref="Evolve"/> folds an
/// event in. Pure: the acting user (null for the scheduled job) and time come in as inputs.
/// </summary>
public static class RoleDecider
{
    public static readonly TimeSpan MaxLead = TimeSpan.FromDays(90);

    public static RoleDecision Create(string id, string name, Party holder, IReadOnlyList<Accountability> accountabilities, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > Role.MaxNameLength)
        {
            return Invalid($"A role's name is required and at most {Role.MaxNameLength} characters.");
        }
        if (holder.User is null)
        {
            return Invalid("A role is held by someone with an account.");
        }
        if (accountabilities.Count > Role.MaxAccountabilities)
        {
            return Invalid($"A role has at most {Role.MaxAccountabilities} accountabilities.");
        }
        var created = new RoleCreated(id, name.Trim(), holder) { By = holder.User, At = now };
        List<RoleEvent> events = [created];
        var role = Evolve(null, created);
        foreach (var accountability in accountabilities)
        {
            var added = Decide(role, new AddAccountability(accountability), holder.User, now);
            if (!added.IsAccepted)
            {
                return added;
            }
            events.AddRange(added.Events);
            role = added.Events.Aggregate(role, Evolve);
        }
        return new RoleDecision(events, null);
    }

    public static RoleDecision Decide(Role role, RoleCommand command, UserId? by, DateTimeOffset now)
    {
        if (command is RecordSchedule record)
        {
            return by is null ? DecideRecord(role, record, now) : Refuse("Only the scheduled job records a role's cycles.");
        }
        if (command is AnswerOffer answer)
        {
            return role.Offers.FirstOrDefault(o => o.WorkflowId == answer.WorkflowId) is not { } offer
                ? RoleDecision.Reject(RejectionKind.NotAllowedInState, $"No cycle {answer.WorkflowId} of role '{role.Name}' is on offer (it was answered, or never offered).")
                : offer.To.User != by
                    ? Refuse($"The cycle {answer.WorkflowId} of role '{role.Name}' is offered to {offer.To.Shown()}, who alone answers it.")
                    : RoleDecision.Accept(new OfferAnswered(answer.WorkflowId, answer.Accept) { By = by, At = now });
        }
        if (by is null || !role.IsHeldBy(by))
        {
            return Refuse($"Only the holder of role '{role.Name}' ({role.Holder.Shown()}) changes it.");
        }
        return command switch
        {
            AddAccountability add => DecideAdd(role, add.Accountability, by, now),
            RemoveAccountability remove => role.Accountabilities.Any(a => a.Id == remove.AccountabilityId)
                ? RoleDecision.Accept(new AccountabilityRemoved(remove.AccountabilityId) { By = by, At = now })
                : RoleDecision.Accept(), // Removing what is not there is already done.
            HandOver handOver => DecideHandOver(role, handOver, by, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command."),
        };
    }

    private static RoleDecision DecideAdd(Role role, Accountability a, UserId by, DateTimeOffset now)
    {
        if (role.Accountabilities.Count >= Role.MaxAccountabilities)
        {
            return Invalid($"Role '{role.Name}' already has {Role.MaxAccountabilities} accountabilities, the most a role has; remove one first.");
        }
        if (role.Accountabilities.Any(x => x.Id == a.Id))
        {
            return RoleDecision.Accept(); // Adding the same accountability twice adds it once.
        }
        if (string.IsNullOrWhiteSpace(a.Concern) || a.Concern.Length > WorkflowDecider.MaxConcernLength)
        {
            return Invalid($"An accountability's concern is required and at most {WorkflowDecider.MaxConcernLength} characters.");
        }
        if (string.IsNullOrWhiteSpace(a.Conditions) || a.Conditions.Length > WorkflowDecider.MaxConditionsLength)
        {
            return Invalid($"An accountability's conditions are required and at most {WorkflowDecider.MaxConditionsLength} characters: each cycle starts with them.");
        }
        if (a.Lead <= TimeSpan.Zero || a.Lead > MaxLead)
        {
            return Invalid($"The lead time is more than nothing and at most {MaxLead.TotalDays} days.");
        }
        if (a.Customer.User == role.Holder.User || string.Equals(a.Customer.Email, role.Holder.Email, StringComparison.OrdinalIgnoreCase))
        {
            return Invalid("The customer of an accountability is someone other than the role's holder.");
        }
        return RoleDecision.Accept(new AccountabilityAdded(a with { Concern = a.Concern.Trim(), Conditions = a.Conditions.Trim(), CoveredUntil = now })
        { By = by, At = now });
    }

    private static RoleDecision DecideHandOver(Role role, HandOver handOver, UserId by, DateTimeOffset now)
    {
        if (handOver.To.User is null)
        {
            return Invalid($"A role is handed to someone with an account; {handOver.To.Email} was not found in the directory.");
        }
        if (handOver.To.User == by)
        {
            return Invalid($"You already hold role '{role.Name}'.");
        }
        if (role.Accountabilities.Any(a => a.Customer.User == handOver.To.User
            || string.Equals(a.Customer.Email, handOver.To.Email, StringComparison.OrdinalIgnoreCase)))
        {
            return Invalid($"{handOver.To.Shown()} is the customer of an accountability of role '{role.Name}', so cannot also hold it.");
        }
        var offers = handOver.OpenCycles
            .Where(c => role.Offers.All(o => o.WorkflowId != c.WorkflowId))
            .Select(c => new HandoverOffer(c.WorkflowId, c.Concern, c.Due, role.Holder, handOver.To, now))
            .ToList();
        return RoleDecision.Accept(new RoleHandedOver(role.Holder, handOver.To, offers) { By = by, At = now });
    }

    /// <summary>
    /// Records one run of the job: only occurrences after the watermark count, so recording a run twice — a timer that
    /// fired twice, two instances racing — records it once.
    /// </summary>
    private static RoleDecision DecideRecord(Role role, RecordSchedule record, DateTimeOffset now)
    {
        if (role.Accountabilities.FirstOrDefault(a => a.Id == record.AccountabilityId) is not { } accountability)
        {
            return RoleDecision.Accept(); // Removed meanwhile: nothing more to record of it.
        }
        var covered = accountability.CoveredUntil;
        var events = new List<RoleEvent>();
        var missed = record.Missed.Where(d => d > covered).Order().ToList();
        if (missed.Count > 0)
        {
            events.Add(new CyclesMissed(accountability.Id, missed[0], missed[^1], missed.Count) { At = now });
        }
        events.AddRange(record.Opened.Where(c => c.Due > covered).OrderBy(c => c.Due).Select(c => new CycleOpened(c) { At = now }));
        return new RoleDecision(events, null);
    }

    public static Role Evolve(Role? role, RoleEvent e)
    {
        if (e is RoleCreated created)
        {
            return new Role
            {
                Id = created.Id,
                Version = 1,
                Name = created.Name,
                Holder = created.Holder,
                CreatedAt = created.At,
                Holdings = [new Holding(created.Holder, created.At, null)],
            };
        }
        var r = (role ?? throw new InvalidOperationException("A role's first event must be RoleCreated.")) with { Version = role.Version + 1 };
        return e switch
        {
            AccountabilityAdded a => r with { Accountabilities = [.. r.Accountabilities, a.Accountability] },
            AccountabilityRemoved a => r with { Accountabilities = [.. r.Accountabilities.Where(x => x.Id != a.AccountabilityId)] },
            CycleOpened c => Covered(r, c.Cycle.AccountabilityId, c.Cycle.Due) with { Cycles = [.. r.Cycles.TakeLast(Role.CyclesKept - 1), c.Cycle] },
            CyclesMissed m => Covered(r, m.AccountabilityId, m.Last) with
            {
                Missed = [.. r.Missed.TakeLast(Role.MissedKept - 1), new MissedCycles(m.AccountabilityId, m.First, m.Last, m.Count, m.At)],
            },
            RoleHandedOver h => r with
            {
                Holder = h.To,
                Holdings = [.. r.Holdings.Select(x => x.To is null ? x with { To = h.At } : x), new Holding(h.To, h.At, null)],
                Offers = [.. r.Offers, .. h.Offers],
            },
            OfferAnswered a => r with
            {
                Offers = [.. r.Offers.Where(o => o.WorkflowId != a.WorkflowId)],
                Cycles = a.Accepted && r.Offers.FirstOrDefault(o => o.WorkflowId == a.WorkflowId) is { } offer
                    ? [.. r.Cycles.Select(c => c.WorkflowId == a.WorkflowId ? c with { Performer = offer.To } : c)]
                    : r.Cycles,
            },
            RoleKeyUsed k => r with { RecentKeys = [.. r.RecentKeys.TakeLast(Role.KeysKept - 1), k.Key] },
            _ => throw new ArgumentOutOfRangeException(nameof(e), e, "Unknown role event."),
        };
    }

    private static Role Covered(Role r, string accountabilityId, DateTimeOffset until) => r with
    {
        Accountabilities = [.. r.Accountabilities.Select(a => a.Id == accountabilityId && until > a.CoveredUntil ? a with { CoveredUntil = until } : a)],
    };

    private static RoleDecision Invalid(string message) => RoleDecision.Reject(RejectionKind.InvalidDetails, message);

    private static RoleDecision Refuse(string message) => RoleDecision.Reject(RejectionKind.NotYourMove, message);
}

/// <summary>
/// When an accountability's cycles are due to open. Pure: the schedule comes in as <c>nextAfter</c> (the first
/// occurrence strictly after an instant, in the holder's zone, or null when there is none), so the rule can be tested
/// without a cron library and any schedule can be plugged in.
/// </summary>
public static class RoleSchedule
{
    /// <summary>At most this many occurrences are looked at in one run (a long downtime is caught up over several).</summary>
    public const int MaxPerRun = 500;

    /// <summary>What one run finds: occurrences whose cycle opens now (due later), and those already past due.</summary>
    public sealed record Plan(IReadOnlyList<DateTimeOffset> ToOpen, IReadOnlyList<DateTimeOffset> Missed);

    /// <summary>
    /// The occurrences after the watermark whose cycle opens by <paramref name="now"/> (the occurrence less the lead
    /// time): those still ahead open now; those whose due date already passed — the job was down — are missed.
    /// </summary>
    public static Plan Due(Accountability accountability, DateTimeOffset now, Func<DateTimeOffset, DateTimeOffset?> nextAfter)
    {
        var toOpen = new List<DateTimeOffset>();
        var missed = new List<DateTimeOffset>();
        for (var next = nextAfter(accountability.CoveredUntil);
             next is { } due && due - accountability.Lead <= now && toOpen.Count + missed.Count < MaxPerRun;
             next = nextAfter(due))
        {
            (due > now ? toOpen : missed).Add(due);
        }
        return new Plan(toOpen, missed);
    }

    /// <summary>The next <paramref name="count"/> occurrences after <paramref name="from"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> Next(DateTimeOffset from, int count, Func<DateTimeOffset, DateTimeOffset?> nextAfter)
    {
        var dates = new List<DateTimeOffset>();
        for (var next = nextAfter(from); next is { } at && dates.Count < count; next = nextAfter(at))
        {
            dates.Add(at);
        }
        return dates;
    }
}

/// <summary>Who performed a cycle until its role's handover took effect on it at <see cref="UntilVersion"/> (events before it were theirs).</summary>
public sealed record FormerPerformer(Party Performer, int UntilVersion);

/// <summary>
/// A cycle's performer changed: the role it belongs to was handed over and the new holder accepted the cycle. Made
/// by the new holder, recorded as the performer's side.
/// </summary>
public sealed record PerformerHandedOver(Party From, Party To, string RoleId) : WorkflowEvent;

/// <summary>The holder handed the cycle's role to <see cref="To"/>, who is offered this cycle; the customer is told.</summary>
public sealed record HandoverOffered(Party From, Party To, string RoleId) : WorkflowEvent;

/// <summary>The new holder left this cycle with its performer (the old holder), who keeps it.</summary>
public sealed record HandoverLeft(Party To, string RoleId) : WorkflowEvent;
