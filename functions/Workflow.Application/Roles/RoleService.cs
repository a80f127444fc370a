using Microsoft.Extensions.Logging;
using Workflow.Domain;

namespace Workflow.Application;

/// <summary>A role as stored, with the storage's concurrency token for its next write.</summary>
public sealed record StoredRole(Role Role, string ETag);

/// <summary>How a person stands to a role, as their index of roles says.</summary>
public enum RoleRelation
{
    Holds,
    Offered,
    Held,
}

/// <summary>
/// Roles' storage port: one record per role, replaced whole under its ETag, and each person's index of the roles they
/// hold, held or are offered cycles of (written after the record, so a person's list is one query).
/// </summary>
public interface IRoleStore
{
    Task<StoredRole?> LoadAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stores a new role; false if the id exists.</summary>
    Task<bool> CreateAsync(Role role, CancellationToken cancellationToken);

    /// <summary>Replaces the role if it is still at <paramref name="etag"/>; false if another write came first.</summary>
    Task<bool> ReplaceAsync(Role role, string etag, CancellationToken cancellationToken);

    /// <summary>The roles <paramref name="user"/>'s index lists (one query), newest state each index row holds.</summary>
    Task<IReadOnlyList<Role>> ForUserAsync(UserId user, CancellationToken cancellationToken);

    /// <summary>Every role (what the scheduled job goes through).</summary>
    IAsyncEnumerable<Role> AllAsync(CancellationToken cancellationToken);
}

/// <summary>What became of a request about a role; the API maps each to one answer.</summary>
public abstract record RoleOutcome
{
    public sealed record Done(Role Role, bool Created = false, bool Replayed = false) : RoleOutcome;

    public sealed record NotFound : RoleOutcome;

    public sealed record Invalid(string Message) : RoleOutcome;

    /// <summary>Not this caller's to do (a past holder, the customer saving someone else's loop); the role may be null.</summary>
    public sealed record Refused(string Message) : RoleOutcome;

    /// <summary>The offer or accountability is not there any more.</summary>
    public sealed record Conflict(string Message) : RoleOutcome;

    public sealed record Stale(Role Current) : RoleOutcome;

    public sealed record KeyReused : RoleOutcome;

    public sealed record Busy : RoleOutcome;
}

/// <summary>An accountability as asked for: <see cref="Customer"/> is an email address.</summary>
public sealed record AccountabilityRequest(
    string Concern, string Conditions, string Customer, string Schedule, string? TimeZone, int LeadDays, CycleStart Start);

/// <summary>
/// Roles' use cases: create, change and hand over a role through <see cref="RoleDecider"/>, each write guarded by the
/// role's version (If-Match) and made once per Idempotency-Key; handovers recorded on the cycles they touch.
/// </summary>
public sealed class RoleService(IRoleStore roles, WorkflowService workflows, IWorkflowStore store, IDirectory directory, TimeProvider time)
{
    private const int AttemptsOnRace = 5;

    public async Task<RoleOutcome> GetAsync(Caller caller, string id, CancellationToken ct) =>
        await roles.LoadAsync(id, ct) is { } stored && stored.Role.IsVisibleTo(caller.Id)
            ? new RoleOutcome.Done(stored.Role)
            : new RoleOutcome.NotFound();

    public Task<IReadOnlyList<Role>> ListAsync(Caller caller, CancellationToken ct) => roles.ForUserAsync(caller.Id, ct);

    /// <summary>Creates a role held by the caller; with an Idempotency-Key its id derives from it, so a retry finds it.</summary>
    public async Task<RoleOutcome> CreateAsync(
        Caller caller, string name, IReadOnlyList<AccountabilityRequest> requested, string? idempotencyKey, string requestHash, CancellationToken ct)
    {
        var scope = idempotencyKey is null ? null : new IdempotencyScope(caller.Id, idempotencyKey);
        var id = scope is null ? Guid.NewGuid().ToString("N") : Hashing.DerivedId("role\n" + scope.StorageKey);
        if (await roles.LoadAsync(id, ct) is { } earlier)
        {
            return Retried(earlier.Role, scope!, requestHash, created: true) ?? new RoleOutcome.Done(earlier.Role, Created: true, Replayed: true);
        }
        var now = time.GetUtcNow();
        var accountabilities = new List<Accountability>();
        foreach (var request in requested)
        {
            if (await AccountabilityAsync(caller, request, now, ct) is var (made, problem) && problem is not null)
            {
                return new RoleOutcome.Invalid(problem);
            }
            accountabilities.Add(made!);
        }
        var decision = RoleDecider.Create(id, name, new Party(caller.Email ?? "", caller.DisplayName, caller.Id), accountabilities, now);
        if (!decision.IsAccepted)
        {
            return new RoleOutcome.Invalid(decision.Rejection!.Message);
        }
        var events = scope is null ? decision.Events : [.. decision.Events, new RoleKeyUsed(new RoleKey(scope.StorageKey, requestHash, decision.Events.Count + 1)) { At = now }];
        var role = events.Aggregate((Role?)null, RoleDecider.Evolve)!;
        if (await roles.CreateAsync(role, ct))
        {
            return new RoleOutcome.Done(role, Created: true);
        }
        return await roles.LoadAsync(id, ct) is { } raced && scope is not null
            ? Retried(raced.Role, scope, requestHash, created: true) ?? new RoleOutcome.Done(raced.Role, Created: true, Replayed: true)
            : new RoleOutcome.Busy();
    }

    /// <summary>
    /// Saves a closed loop as a role in one step: its performer becomes the holder of a role of that name (an existing
    /// one of theirs takes the new accountability), its customer the accountability's customer, its concern and terms
    /// the template. A stranger is not told the workflow exists; its customer is told only its performer may.
    /// </summary>
    public async Task<RoleOutcome> SaveAsRoleAsync(
        Caller caller, string workflowId, string name, string schedule, string? timeZone, int leadDays, CycleStart start,
        string? idempotencyKey, string requestHash, CancellationToken ct)
    {
        if (await store.LoadAsync(workflowId, ct) is not { } loop || loop.RoleOf(caller.Id) is not { } party || !loop.IsVisibleTo(party))
        {
            return new RoleOutcome.NotFound();
        }
        if (party != PartyRole.Performer)
        {
            return new RoleOutcome.Refused("Only the performer saves a loop as their role: the role is a promise they keep making. Ask them to save it.");
        }
        if (!loop.IsClosed)
        {
            return new RoleOutcome.Conflict($"The workflow is {WorkflowDecider.Name(loop.Status)}; a loop is saved as a role once it is closed.");
        }
        var request = new AccountabilityRequest(loop.Concern, (loop.Promised ?? loop.Proposed)?.Conditions ?? loop.Concern,
            loop.Customer.Email, schedule, timeZone, leadDays, start);
        var existing = (await roles.ForUserAsync(caller.Id, ct))
            .FirstOrDefault(r => r.IsHeldBy(caller.Id) && string.Equals(r.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
        if (existing is null)
        {
            return await CreateAsync(caller, name, [request], idempotencyKey, requestHash, ct);
        }
        return await AddAccountabilityAsync(caller, existing.Id, null, request, idempotencyKey, requestHash, ct, customer: loop.Customer);
    }

    public async Task<RoleOutcome> AddAccountabilityAsync(
        Caller caller, string id, int? ifMatch, AccountabilityRequest request, string? idempotencyKey, string requestHash, CancellationToken ct,
        Party? customer = null)
    {
        var (accountability, problem) = await AccountabilityAsync(caller, request, time.GetUtcNow(), ct, customer);
        return problem is not null
            ? new RoleOutcome.Invalid(problem)
            : await WriteAsync(caller, id, ifMatch, idempotencyKey, requestHash, (role, now) =>
                RoleDecider.Decide(role, new AddAccountability(accountability!), caller.Id, now), ct);
    }

    public Task<RoleOutcome> RemoveAccountabilityAsync(Caller caller, string id, int ifMatch, string accountabilityId, string? idempotencyKey, string requestHash, CancellationToken ct) =>
        WriteAsync(caller, id, ifMatch, idempotencyKey, requestHash, (role, now) => RoleDecider.Decide(role, new RemoveAccountability(accountabilityId), caller.Id, now), ct);

    /// <summary>
    /// Closes a role its holder is leaving (docs/decisions/0016): every accountability removed in one write, so no new
    /// cycle opens; the cycles already opened stay, as ordinary workflows. True when something was removed.
    /// </summary>
    public async Task<bool> CloseAsync(Caller caller, string id, CancellationToken ct) =>
        await WriteAsync(caller, id, null, null, "", (role, now) =>
        {
            var events = new List<RoleEvent>();
            foreach (var accountability in role.Accountabilities)
            {
                var decision = RoleDecider.Decide(events.Aggregate(role, RoleDecider.Evolve), new RemoveAccountability(accountability.Id), caller.Id, now);
                if (!decision.IsAccepted)
                {
                    return decision;
                }
                events.AddRange(decision.Events);
            }
            return RoleDecision.Accept([.. events]);
        }, ct) is RoleOutcome.Done done && done.Role.Accountabilities.Count == 0;

    /// <summary>
    /// Hands the role to the person <paramref name="email"/> names in the directory: they hold it from now on, and each
    /// cycle still open with the caller as performer is offered to them — its customer told on the cycle.
    /// </summary>
    public async Task<RoleOutcome> HandOverAsync(Caller caller, string id, int ifMatch, string email, string? idempotencyKey, string requestHash, CancellationToken ct)
    {
        // Whom the address names is looked up only for someone who may see the role: to others it is not there.
        if (await roles.LoadAsync(id, ct) is not { } current || !current.Role.IsVisibleTo(caller.Id))
        {
            return new RoleOutcome.NotFound();
        }
        var found = await directory.FindByEmailAsync(caller.Id.TenantId, email.Trim(), ct);
        if (found is null or { IsGuest: true })
        {
            return new RoleOutcome.Invalid($"Nobody in your organisation's directory has the address {email.Trim()}: a role is handed to a colleague with an account.");
        }
        var to = new Party(found.Email, found.DisplayName, found.Id);
        var open = current.Role.IsHeldBy(caller.Id)
            ? await workflows.OpenCyclesOfAsync(current.Role.Cycles.Select(c => c.WorkflowId), caller.Id, ct)
            : [];
        var outcome = await WriteAsync(caller, id, ifMatch, idempotencyKey, requestHash, (role, now) =>
            RoleDecider.Decide(role, new HandOver(to, [.. open.Select(c => (c.Id, c.Concern, c.Cycle?.Due ?? c.Clocks.DueBy ?? now))]), caller.Id, now), ct);
        if (outcome is RoleOutcome.Done { Replayed: false } done)
        {
            foreach (var offer in done.Role.Offers.Where(o => o.From.User == caller.Id && o.To.User == to.User))
            {
                await workflows.RecordHandoverAsync(offer.WorkflowId, caller.Id, state =>
                    state.IsClosed ? null : new HandoverOffered(offer.From, offer.To, id), ct);
            }
        }
        return outcome;
    }

    /// <summary>
    /// The new holder answers an offered cycle: accepted, they become its performer (both parties told on the cycle);
    /// left, it stays with the old holder (both told). Only the person offered it answers.
    /// </summary>
    public async Task<RoleOutcome> AnswerOfferAsync(Caller caller, string id, int ifMatch, string workflowId, bool accept, string? idempotencyKey, string requestHash, CancellationToken ct)
    {
        var outcome = await WriteAsync(caller, id, ifMatch, idempotencyKey, requestHash, (role, now) =>
            RoleDecider.Decide(role, new AnswerOffer(workflowId, accept), caller.Id, now), ct,
            then: async (before, ctt) =>
            {
                // Recorded on the cycle before the role forgets the offer: a crash in between leaves the offer to be answered again.
                var offer = before.Offers.First(o => o.WorkflowId == workflowId);
                await workflows.RecordHandoverAsync(workflowId, caller.Id, state =>
                    state.IsClosed || state.Performer.User != offer.From.User ? null
                    : accept ? new PerformerHandedOver(offer.From, offer.To, id)
                    : new HandoverLeft(offer.To, id), ctt);
            });
        return outcome;
    }

    /// <summary>Builds an accountability from a request: the customer found in the directory (or pending), the schedule read.</summary>
    private async Task<(Accountability? Accountability, string? Problem)> AccountabilityAsync(
        Caller caller, AccountabilityRequest request, DateTimeOffset now, CancellationToken ct, Party? customer = null)
    {
        if (Schedule.Parse(request.Schedule, request.TimeZone, now) is { Problem: { } problem })
        {
            return (null, problem);
        }
        if (customer is null)
        {
            var email = request.Customer.Trim();
            var found = await directory.FindByEmailAsync(caller.Id.TenantId, email, ct);
            customer = found is null or { IsGuest: true }
                ? new Party(email.ToLowerInvariant(), null, null)
                : new Party(found.Email, found.DisplayName, found.Id);
        }
        var id = Hashing.DerivedId("accountability\n" + Guid.NewGuid().ToString("N"))[..12];
        return (new Accountability(id, request.Concern, request.Conditions, customer, string.Join(' ', request.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
            request.TimeZone ?? "UTC", TimeSpan.FromDays(request.LeadDays), request.Start, now), null);
    }

    /// <summary>The answer for a retry of a write this key already made, or 422 for another request under it; null if the key is new.</summary>
    private static RoleOutcome? Retried(Role role, IdempotencyScope scope, string requestHash, bool created = false) =>
        role.RecentKeys.FirstOrDefault(k => k.Key == scope.StorageKey) is not { } used ? null
        : used.RequestHash == requestHash ? new RoleOutcome.Done(role, Created: created, Replayed: true)
        : new RoleOutcome.KeyReused();

    /// <summary>
    /// One write: load → visible to the caller or not found → an earlier answer to this key → If-Match → decide →
    /// <paramref name="then"/> (what the write does elsewhere first) → replace under the ETag, deciding again when
    /// another write came first and the caller named no version.
    /// </summary>
    private async Task<RoleOutcome> WriteAsync(
        Caller caller, string id, int? ifMatch, string? idempotencyKey, string requestHash, Func<Role, DateTimeOffset, RoleDecision> decide,
        CancellationToken ct, Func<Role, CancellationToken, Task>? then = null)
    {
        var scope = idempotencyKey is null ? null : new IdempotencyScope(caller.Id, idempotencyKey);
        for (var attempt = 0; attempt < AttemptsOnRace; attempt++)
        {
            if (await roles.LoadAsync(id, ct) is not { } stored || !stored.Role.IsVisibleTo(caller.Id))
            {
                return new RoleOutcome.NotFound();
            }
            var role = stored.Role;
            if (scope is not null && Retried(role, scope, requestHash) is { } earlier)
            {
                return earlier;
            }
            if (ifMatch is { } expected && expected != role.Version)
            {
                return new RoleOutcome.Stale(role);
            }
            var now = time.GetUtcNow();
            var decision = decide(role, now);
            if (!decision.IsAccepted)
            {
                return decision.Rejection!.Kind switch
                {
                    RejectionKind.InvalidDetails => new RoleOutcome.Invalid(decision.Rejection.Message),
                    RejectionKind.NotYourMove => new RoleOutcome.Refused(decision.Rejection.Message),
                    _ => new RoleOutcome.Conflict(decision.Rejection.Message),
                };
            }
            if (decision.Events.Count == 0)
            {
                return new RoleOutcome.Done(role);
            }
            IEnumerable<RoleEvent> events = decision.Events;
            if (scope is not null)
            {
                events = events.Append(new RoleKeyUsed(new RoleKey(scope.StorageKey, requestHash, role.Version + decision.Events.Count + 1)) { By = caller.Id, At = now });
            }
            var next = events.Aggregate(role, RoleDecider.Evolve);
            if (then is not null)
            {
                await then(role, ct);
            }
            if (await roles.ReplaceAsync(next, stored.ETag, ct))
            {
                return new RoleOutcome.Done(next);
            }
            if (ifMatch is not null && (await roles.LoadAsync(id, ct))?.Role is { } moved
                && (scope is null || Retried(moved, scope, requestHash) is null))
            {
                return new RoleOutcome.Stale(moved);
            }
        }
        return new RoleOutcome.Busy();
    }
}

/// <summary>What one run of the roles' job did.</summary>
public sealed record RoleCycleRun(int Opened, int Missed, int Failed);

/// <summary>
/// The RoleCycles timer's job: for each role and accountability, the occurrences the schedule says are due open now —
/// each cycle created under its fixed id, then recorded on the role, which moves the schedule's watermark. Safe to run
/// twice, to crash anywhere and run again, and to run on two instances at once: a cycle is created once whatever the
/// order, and the record only ever moves forward (a lost race decides again on the role as it now stands).
/// </summary>
public sealed class RoleCycleJob(IRoleStore roles, WorkflowService workflows, TimeProvider time, ILogger<RoleCycleJob> log)
{
    private const int AttemptsOnRace = 5;

    public async Task<RoleCycleRun> RunAsync(CancellationToken ct)
    {
        var (opened, missed, failed) = (0, 0, 0);
        await foreach (var role in roles.AllAsync(ct))
        {
            try
            {
                var (o, m) = await RunAsync(role.Id, ct);
                opened += o;
                missed += m;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One role's failure (storage, a cycle the decider refused) does not stop the others; the next run retries it.
                failed++;
                Log.RoleCyclesFailed(log, e, role.Id);
            }
        }
        return new RoleCycleRun(opened, missed, failed);
    }

    private async Task<(int Opened, int Missed)> RunAsync(string roleId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < AttemptsOnRace; attempt++)
        {
            if (await roles.LoadAsync(roleId, ct) is not { } stored)
            {
                return (0, 0);
            }
            var now = time.GetUtcNow();
            var role = stored.Role;
            var events = new List<RoleEvent>();
            foreach (var accountability in role.Accountabilities)
            {
                if (Schedule.Parse(accountability.Schedule, accountability.TimeZone, accountability.CoveredUntil) is not { Schedule: { } schedule })
                {
                    continue; // Checked when added; a zone since gone from the system is told by the next run's failure count only.
                }
                var plan = RoleSchedule.Due(accountability, now, schedule.NextAfter);
                var cycles = new List<RoleCycle>();
                foreach (var due in plan.ToOpen)
                {
                    var cycle = await workflows.OpenCycleAsync(role, accountability, due, ct);
                    cycles.Add(new RoleCycle(cycle.Id, accountability.Id, due, cycle.Performer));
                }
                var decision = RoleDecider.Decide(role, new RecordSchedule(accountability.Id, cycles, plan.Missed), null, now);
                events.AddRange(decision.Events);
            }
            if (events.Count == 0 || await roles.ReplaceAsync(events.Aggregate(role, RoleDecider.Evolve), stored.ETag, ct))
            {
                return (events.OfType<CycleOpened>().Count(), events.OfType<CyclesMissed>().Sum(m => m.Count));
            }
            // Another run or a change to the role came first: decide again on the role as it now stands (the cycles
            // this attempt opened are found again under their ids).
        }
        throw new InvalidOperationException($"Role {roleId} kept changing while its cycles were recorded; the next run retries.");
    }
}
