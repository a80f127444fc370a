using Microsoft.Extensions.Caching.Memory;
using Workflow.Domain;

namespace Workflow.Application;

/// <summary>
/// The use cases. Every write — open, move, link, unlink, bind a pending party, a repeat's new cycle — goes through
/// <see cref="WriteAsync"/>: load → the caller's party or not found → decide → commit (version guard, commit id,
/// idempotency key, follow-ups) → was it our commit, if the answer was lost. The rules are the decider's, the storage
/// is the store's; this class only sequences them and turns races and retries into clear outcomes.
/// </summary>
public sealed partial class WorkflowService(
    IWorkflowStore store, IFollowUps followUps, IDirectory directory, IOpenLedger opens, TimeProvider time,
    DirectoryOptions? directoryOptions = null, LimitOptions? limits = null)
    : IDisposable
{
    private readonly LimitOptions _limits = limits ?? new LimitOptions();

    /// <summary>Writes decided on the latest version (no If-Match) decide again this often when another commit wins.</summary>
    private const int AttemptsOnRace = 5;

    private readonly DirectoryOptions _directoryOptions = directoryOptions ?? new DirectoryOptions();

    /// <summary>
    /// "The directory does not know this email", remembered for a while; bounded, so a caller naming ever new
    /// addresses cannot grow it without end (when full, a new miss is simply not remembered).
    /// </summary>
    private readonly MemoryCache _directoryMisses = new(new MemoryCacheOptions { SizeLimit = (directoryOptions ?? new DirectoryOptions()).MissesRemembered });

    /// <summary>How many directory misses are remembered now (never more than <see cref="DirectoryOptions.MissesRemembered"/>).</summary>
    public int DirectoryMissesRemembered => _directoryMisses.Count;

    public void Dispose() => _directoryMisses.Dispose();

    public async Task<Outcome> OpenAsync(
        Caller caller, OpenRequest request, string? idempotencyKey, string requestHash, CancellationToken ct)
    {
        var customer = await ResolveAsync(caller, request.Customer, ct);
        var performer = await ResolveAsync(caller, request.Performer, ct);
        return await OpenBetweenAsync(caller, customer, performer, request, parent: null, idempotencyKey, requestHash, ct);
    }

    /// <summary>
    /// Opens a child under <paramref name="parentId"/>: the dual ("to do this I need from you: …", the parent's customer
    /// performs) or a delegation (part of the promise handed to <see cref="OpenRequest.Performer"/>). Only the party the
    /// links' table names — the parent's performer, while the promise is negotiated or in force — opens one; they are its
    /// customer. A stranger to the parent is answered not found, like every other read or write of it.
    /// </summary>
    public async Task<Outcome> OpenChildAsync(
        Caller caller, string parentId, ChildRelation relation, OpenRequest request, string? idempotencyKey, string requestHash,
        CancellationToken ct)
    {
        var parent = await store.LoadAsync(parentId, ct);
        if (parent is null || PartySeeing(parent, caller.Id, null) is not { } role)
        {
            return new Outcome.NotFound();
        }
        if (!TransitionTable.MayOpenChild(parent, relation, role))
        {
            var what = relation == ChildRelation.Dual ? "asking the customer for what you need (the dual)" : "delegating part of it";
            return new Outcome.Refused(new Rejection(
                role == PartyRole.Performer ? RejectionKind.NotAllowedInState : RejectionKind.NotYourMove,
                $"'{WorkflowDecider.Name(relation)}' in state '{WorkflowDecider.Name(parent.Status)}': {what} is the performer's, while the "
                + $"promise is negotiated or in force; the {WorkflowDecider.Name(role)} cannot do it now."), parent, role);
        }
        var customer = parent.Performer;
        var performer = relation == ChildRelation.Dual ? parent.Customer : await ResolveAsync(caller, request.Performer, ct);
        return await OpenBetweenAsync(caller, customer, performer, request,
            new ParentRef(parent.Id, relation, parent.Concern), idempotencyKey, requestHash, ct);
    }

    private async Task<Outcome> OpenBetweenAsync(
        Caller caller, Party customer, Party performer, OpenRequest request, ParentRef? parent, string? idempotencyKey, string requestHash,
        CancellationToken ct)
    {
        var scope = idempotencyKey is null ? null : new IdempotencyScope(caller.Id, idempotencyKey);
        // With a key, the id derives from it: a retry of the same open finds the workflow its first attempt made.
        var id = scope is null ? Guid.NewGuid().ToString("N")
            : Hashing.DerivedId((parent is null ? "open\n" : $"child\n{parent.WorkflowId}\n") + scope.StorageKey);
        return await WriteAsync(new Write(id, caller.Id, Creates: true, Idempotency: scope, RequestHash: requestHash,
            Decide: (_, _, now) =>
            {
                PartyRole? opener = customer.User == caller.Id ? PartyRole.Customer
                    : performer.User == caller.Id ? PartyRole.Performer
                    : null;
                if (opener is null)
                {
                    return Decision.Reject(RejectionKind.InvalidDetails, "You must be the customer or the performer of a workflow you open.");
                }
                return WorkflowDecider.Open(
                    new OpenWorkflow(id, request.Concern, customer, performer, opener.Value, request.Conditions, request.DueBy,
                        Start: request.Start, ReplyBy: request.ReplyBy,
                        Source: request.Source is { } source ? new LinkItem(source.Key, source.Kind, source.Subject) : null,
                        Parent: parent),
                    now);
            },
            Admit: AdmitOpenAsync), ct);
    }

    /// <summary>
    /// Counts an open decided and about to be stored against the opener's daily limit towards the other party. Only
    /// here, after the decision and before the commit: a refused open uses no place. An open that counted and then
    /// failed to commit (a crash, a lost race) has used its place: the limit errs towards fewer opens, never more. So
    /// does a retry with the first attempt's Idempotency-Key: it is not looked up before it counts (that would be a
    /// read on every open), so it uses a place again before its create meets the first attempt's workflow and is
    /// answered from it — and at the limit it is answered from its first attempt instead of being refused.
    /// </summary>
    private async Task<Outcome?> AdmitOpenAsync(WorkflowState opened, DateTimeOffset now, CancellationToken ct)
    {
        var opener = opened[opened.OpenedBy].User!;
        var towards = opened[WorkflowState.Other(opened.OpenedBy)].Email.Trim().ToLowerInvariant();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        if (await opens.TryCountAsync(opener, towards, day, _limits.OpensTowardsOnePersonPerDay, ct))
        {
            return null;
        }
        var nextDay = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new Outcome.Limited(
            $"You have opened {_limits.OpensTowardsOnePersonPerDay} workflows towards {towards} today, the most one person may "
            + $"open towards another in a UTC day ({LimitOptions.Section}:{nameof(LimitOptions.OpensTowardsOnePersonPerDay)} = "
            + $"{_limits.OpensTowardsOnePersonPerDay}). Nothing was opened; you can open more from {nextDay:u}.",
            nextDay - now);
    }

    public async Task<Outcome> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var state = await store.LoadAsync(id, ct);
        if (state is null || PartySeeing(state, caller.Id, null) is not { } role)
        {
            return new Outcome.NotFound();
        }
        return new Outcome.Done(await BindPendingPartiesAsync(state, caller, ct), role);
    }

    /// <summary>
    /// One page of a workflow's history: the events after <paramref name="afterVersion"/>, at most
    /// <paramref name="limit"/>, with the workflow as it stands (whose parties name the actors). Null if the caller
    /// is not a party.
    /// </summary>
    public async Task<HistoryPage?> HistoryAsync(Caller caller, string id, int afterVersion, int limit, CancellationToken ct)
    {
        var state = await store.LoadAsync(id, ct);
        if (state is null || PartySeeing(state, caller.Id, null) is not { } role)
        {
            return null;
        }
        var to = (int)Math.Min(state.Version, (long)afterVersion + limit);
        var events = afterVersion >= to ? [] : await store.HistoryRangeAsync(id, afterVersion + 1, to, ct);
        return new HistoryPage(state, role, events, to < state.Version ? to : null);
    }

    /// <summary>
    /// Makes a move decided on version <paramref name="expectedVersion"/>. On the happy path: one point read and one
    /// transaction. The idempotency record is read only when something is off (stale, refused, or the commit lost
    /// the race) — the transaction's own Add of the record catches a reused key.
    /// </summary>
    public Task<Outcome> MoveAsync(
        Caller caller, string id, int expectedVersion, MakeMove command, string? idempotencyKey, string requestHash,
        CancellationToken ct)
    {
        if (command.Move == Move.Repeat)
        {
            // One repeat per workflow, so the new cycle's id can derive from this one's: a retry finds it.
            command = command with { Details = command.Details with { NewWorkflowId = RepeatedId(id) } };
        }
        return WriteAsync(new Write(id, caller.Id, IfMatch: expectedVersion,
            Idempotency: idempotencyKey is null ? null : new IdempotencyScope(caller.Id, idempotencyKey), RequestHash: requestHash,
            Decide: (state, role, now) => WorkflowDecider.Decide(state!, command, role!.Value, now)), ct);
    }

    public Task<Outcome> LinkAsync(Caller caller, string id, LinkItem link, CancellationToken ct) =>
        WriteAsync(new Write(id, caller.Id, Decide: (state, role, now) => WorkflowDecider.Decide(state!, link, role!.Value, now)), ct);

    public Task<Outcome> UnlinkAsync(Caller caller, string id, string key, CancellationToken ct) =>
        WriteAsync(new Write(id, caller.Id, Decide: (state, role, now) => WorkflowDecider.Decide(state!, new UnlinkItem(key), role!.Value, now)), ct);

    /// <summary>The workflow as a personal link's holder sees it; not found for a link that no longer grants it.</summary>
    public async Task<Outcome> GetAsGuestAsync(GuestGrant guest, CancellationToken ct) =>
        await store.LoadAsync(guest.WorkflowId, ct) is { } state && PartySeeing(state, null, guest) is { } role
            ? new Outcome.Done(state, role)
            : new Outcome.NotFound();

    /// <summary>A move made through a personal link: the holder's own moves only, recorded as made via the mailed link.</summary>
    public Task<Outcome> MoveAsGuestAsync(
        GuestGrant guest, int expectedVersion, MakeMove command, string? idempotencyKey, string requestHash, CancellationToken ct)
    {
        if (command.Move == Move.Repeat)
        {
            // A new cycle is opened by someone with an account; a link is for this one workflow.
            return Task.FromResult<Outcome>(new Outcome.Invalid("'repeat' is not available through a personal link."));
        }
        // Keys are scoped to the link's party of this workflow, as a signed-in user's are to them.
        var holder = new UserId("guest", Hashing.Sha256Hex($"{guest.WorkflowId}\n{guest.Role}"));
        return WriteAsync(new Write(guest.WorkflowId, null, IfMatch: expectedVersion, Guest: guest,
            Idempotency: idempotencyKey is null ? null : new IdempotencyScope(holder, idempotencyKey), RequestHash: requestHash,
            Decide: (state, role, now) => WorkflowDecider.Decide(state!, command, role!.Value, now)), ct);
    }

    /// <summary>Revokes every personal link of the caller's other party: from now on only a new mail's link works.</summary>
    public Task<Outcome> RevokeGuestLinksAsync(Caller caller, string id, CancellationToken ct) =>
        WriteAsync(new Write(id, caller.Id, Decide: (state, role, now) =>
            WorkflowDecider.Decide(state!, new RevokeGuestLinks(WorkflowState.Other(role!.Value)), role.Value, now)), ct);

    /// <summary>
    /// <paramref name="user"/> has the product forget them in workflow <paramref name="id"/> (docs/decisions/0016): their
    /// last act there, recorded as theirs. Whether the workflow is visible to them does not matter — a draft someone else
    /// keeps does not show in their lists, so it never comes here. Forgotten already: nothing to do.
    /// </summary>
    public async Task<Outcome> ForgetAsync(UserId user, string id, string alias, CancellationToken ct) =>
        await store.LoadAsync(id, ct) is { } state && state.RoleOf(user) is { } role
            ? await WriteAsync(new Write(id, user, ActingFor: role, Decide: (current, _, now) =>
                current!.RoleOf(user) is { } still ? WorkflowDecider.Decide(current, new ForgetParty(alias), still, now) : Decision.Accept()), ct)
            : new Outcome.NotFound();

    /// <summary>The id a workflow's repeat gives its new cycle.</summary>
    public static string RepeatedId(string workflowId) => Hashing.DerivedId("repeat\n" + workflowId);

    /// <summary>
    /// The <see cref="StartCycle"/> follow-up: creates the new cycle a repeat names, opened by the party who repeated.
    /// Idempotent: the id is fixed by the repeat, so running it again finds the cycle already there.
    /// </summary>
    public async Task StartCycleAsync(string closedId, StartCycle start, CancellationToken ct)
    {
        if (await store.LoadAsync(start.NewWorkflowId, ct) is not null)
        {
            return;
        }
        var closed = await store.LoadAsync(closedId, ct)
            ?? throw new InvalidOperationException($"Workflow {closedId} owes a new cycle but cannot be read.");
        var repeater = closed[start.By].User
            ?? throw new InvalidOperationException($"The {start.By} who repeated {closedId} is not a bound party.");
        var terms = closed.Promised ?? closed.Proposed;
        var outcome = await WriteAsync(new Write(start.NewWorkflowId, repeater, Creates: true,
            Decide: (_, _, now) => WorkflowDecider.Open(
                new OpenWorkflow(start.NewWorkflowId, closed.Concern, closed.Customer, closed.Performer, start.By, terms?.Conditions, null, closed.Id),
                now)), ct);
        if (outcome is not Outcome.Done && await store.LoadAsync(start.NewWorkflowId, ct) is null)
        {
            throw new InvalidOperationException($"The new cycle {start.NewWorkflowId} of {closedId} was not created ({outcome}).");
        }
    }

    /// <summary>
    /// One write. <see cref="Creates"/>: a new workflow under <see cref="WorkflowId"/>, which the actor must be a
    /// party of. <see cref="IfMatch"/>: the version the caller decided on (a move); without it the write is decided on
    /// the latest version and decided again if another commit wins the race (link, unlink, bind).
    /// </summary>
    private sealed record Write(
        string WorkflowId,
        UserId? Actor,
        Func<WorkflowState?, PartyRole?, DateTimeOffset, Decision> Decide,
        Func<WorkflowState, DateTimeOffset, CancellationToken, Task<Outcome?>>? Admit = null,
        bool Creates = false,
        int? IfMatch = null,
        IdempotencyScope? Idempotency = null,
        string RequestHash = "",
        GuestGrant? Guest = null,
        PartyRole? ActingFor = null)
    {
        /// <summary>
        /// The party the writer is in <paramref name="state"/>: a signed-in party by identity, a guest by their link —
        /// or the side a role's handover writes for (<see cref="ActingFor"/>), decided by the role's own rules.
        /// </summary>
        public PartyRole? PartyIn(WorkflowState state) => ActingFor ?? PartySeeing(state, Actor, Guest);
    }

    /// <summary>
    /// The party a personal link acts as, or null: the link must be for this workflow, its party must still be the
    /// one outside the organisation it was made for (not since bound to an account: they sign in instead), and the
    /// other party must not have revoked it.
    /// </summary>
    public static PartyRole? GuestRole(WorkflowState state, GuestGrant guest)
    {
        var party = state[guest.Role];
        return state.Id == guest.WorkflowId
            && party.IsPending
            && string.Equals(party.Email, guest.Email, StringComparison.OrdinalIgnoreCase)
            && !(state.GuestLinksRevokedAt(guest.Role) is { } revoked && revoked >= guest.IssuedAt)
                ? guest.Role
                : null;
    }

    /// <summary>The one write path (see the class summary).</summary>
    private async Task<Outcome> WriteAsync(Write write, CancellationToken ct)
    {
        // A create's Idempotency-Key is not looked up first: the id derives from the key, so a retry's commit fails on
        // the first attempt's rows and is answered from them below — and so is a retry that would now be refused (its
        // due date passed, the day's limit reached).
        for (var attempt = 0; attempt < AttemptsOnRace; attempt++)
        {
            WorkflowState? state = null;
            PartyRole? role = null;
            if (!write.Creates)
            {
                state = await store.LoadAsync(write.WorkflowId, ct);
                if (state is null || write.PartyIn(state) is not { } partyRole)
                {
                    return new Outcome.NotFound();
                }
                role = partyRole;
                if (write.IfMatch is { } expected && state.Version != expected)
                {
                    return await EarlierAnswerAsync(write, ct) ?? new Outcome.Stale(state, partyRole);
                }
            }

            var now = time.GetUtcNow();
            var decision = write.Decide(state, role, now);
            if (!decision.IsAccepted)
            {
                return await EarlierAnswerAsync(write, ct)
                    ?? (decision.Rejection!.Kind == RejectionKind.InvalidDetails || state is null
                        ? new Outcome.Invalid(decision.Rejection.Message)
                        : new Outcome.Refused(decision.Rejection, state, role));
            }
            if (decision.Events.Count == 0)
            {
                return new Outcome.Done(state!, role!.Value);
            }

            var next = decision.Events.Aggregate(state, WorkflowDecider.Evolve)!;
            if (write.Admit is { } admit && await admit(next, now, ct) is { } refused)
            {
                return await EarlierAnswerAsync(write, ct) ?? refused;
            }
            var actorRole = role ?? (write.Actor is { } creator ? next.RoleOf(creator) : null)
                ?? throw new InvalidOperationException("A created workflow must name its creator as a party.");
            var firstVersion = (state?.Version ?? 0) + 1;
            var commitId = Guid.NewGuid().ToString("N");
            var events = Stamp(decision.Events, firstVersion, write.Actor, write.Idempotency?.Key, commitId,
                write.Guest is { } guest ? new Via(StoredEvent.ViaMailedLink, guest.Email) : null);
            var owed = FollowUp.For(state, next, events);
            var commit = new Commit(next, events,
                write.Idempotency is { } scope ? new IdempotencyRecord(scope.StorageKey, write.RequestHash, next.Version) : null,
                owed)
            {
                // A commit that tells someone may have its mail held by this process (docs/decisions/0017).
                LeaseUntil = followUps.Lease > TimeSpan.Zero && owed.Any(f => f is Notify) ? now + followUps.Lease : null,
            };
            var stored = state is null ? await store.CreateAsync(commit, ct) : await store.AppendAsync(state.Version, commit, ct);
            if (stored == CommitOutcome.Committed || await IsOurCommitAsync(write.WorkflowId, firstVersion, commitId, ct))
            {
                followUps.Committed(commit);
                return new Outcome.Done(next, actorRole, Created: write.Creates);
            }

            // Another commit won — or this key's earlier request did (a retry racing its original).
            if (await EarlierAnswerAsync(write, ct) is { } earlier)
            {
                return earlier;
            }
            if (write.Creates)
            {
                return new Outcome.Busy();
            }
            if (write.IfMatch is not null)
            {
                return await store.LoadAsync(write.WorkflowId, ct) is { } after ? new Outcome.Stale(after, actorRole) : new Outcome.NotFound();
            }
        }
        return new Outcome.Busy();
    }

    /// <summary>
    /// A pending party becomes a user only when the directory of the tenant that opened the workflow knows their
    /// email — never because a token claims that email.
    /// </summary>
    private async Task<WorkflowState> BindPendingPartiesAsync(WorkflowState state, Caller caller, CancellationToken ct)
    {
        var tenant = state[state.OpenedBy].User?.TenantId;
        foreach (var role in new[] { PartyRole.Customer, PartyRole.Performer })
        {
            if (!state[role].IsPending || tenant is null)
            {
                continue;
            }
            var found = await FindInDirectoryAsync(tenant, state[role].Email, ct);
            if (found is null || found.Id == state[WorkflowState.Other(role)].User)
            {
                continue;
            }
            var bind = new BindParty(role, found.Id, found.DisplayName, found.Email);
            var outcome = await WriteAsync(new Write(state.Id, caller.Id,
                Decide: (current, callerRole, now) => WorkflowDecider.Decide(current!, bind, callerRole!.Value, now)), ct);
            if (outcome is Outcome.Done done)
            {
                state = done.State;
            }
        }
        return state;
    }
    private async Task<Party> ResolveAsync(Caller caller, string who, CancellationToken ct)
    {
        if (string.Equals(who, OpenRequest.Me, StringComparison.OrdinalIgnoreCase))
        {
            return new Party(caller.Email ?? "", caller.DisplayName, caller.Id);
        }
        var email = who.Trim();
        var found = await FindInDirectoryAsync(caller.Id.TenantId, email, ct);
        return found is null
            ? new Party(email.ToLowerInvariant(), null, null)
            : new Party(found.Email, found.DisplayName, found.Id,
                InvitedAs: string.Equals(found.Email, email, StringComparison.OrdinalIgnoreCase) ? null : email);
    }

    /// <summary>
    /// Directory look-ups for binding: members only, unless guests are allowed (a guest account is an address anyone
    /// outside could have been invited under). Misses are remembered for a while so viewing a workflow with a pending
    /// party stays cheap.
    /// </summary>
    private async Task<DirectoryUser?> FindInDirectoryAsync(string tenant, string email, CancellationToken ct)
    {
        var key = (tenant, email.ToLowerInvariant());
        if (_directoryMisses.TryGetValue(key, out DateTimeOffset missedAt) && time.GetUtcNow() - missedAt < _directoryOptions.MissLifetime)
        {
            return null;
        }
        var found = await directory.FindByEmailAsync(tenant, email, ct);
        if (found is { IsGuest: true } && !_directoryOptions.AllowGuests)
        {
            found = null;
        }
        if (found is null)
        {
            _directoryMisses.Set(key, time.GetUtcNow(),
                new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _directoryOptions.MissLifetime });
        }
        else
        {
            _directoryMisses.Remove(key);
        }
        return found;
    }

    /// <summary>
    /// The party a signed-in <paramref name="user"/> — or the holder of a personal link, <paramref name="guest"/> —
    /// plays in the workflow, if they may see it; null for a stranger, for a link that no longer grants it, and for the
    /// other party of a draft (a draft is its opener's alone), so all are answered alike: not found. The one check for
    /// every read and write.
    /// </summary>
    private static PartyRole? PartySeeing(WorkflowState state, UserId? user, GuestGrant? guest) =>
        (guest is { } link ? GuestRole(state, link) : user is { } signedIn ? state.RoleOf(signedIn) : null) is { } role
        && state.IsVisibleTo(role)
            ? role
            : null;

    private async Task<bool> IsOurCommitAsync(string id, int version, string commitId, CancellationToken ct) =>
        (await store.EventAsync(id, version, ct))?.CommitId == commitId;

    /// <summary>If this idempotency key was used before on this workflow: the answer that request got (or 422).</summary>
    private async Task<Outcome?> EarlierAnswerAsync(Write write, CancellationToken ct) =>
        write.Idempotency is { } scope && await store.FindIdempotencyAsync(write.WorkflowId, scope, ct) is { } earlier
            ? await AnswerRetryAsync(write, earlier, ct)
            : null;

    private async Task<Outcome> AnswerRetryAsync(Write write, IdempotencyRecord earlier, CancellationToken ct)
    {
        var (id, requestHash, created) = (write.WorkflowId, write.RequestHash, write.Creates);
        if (earlier.RequestHash != requestHash)
        {
            return new Outcome.KeyReused();
        }
        var history = await store.HistoryAsync(id, earlier.ResultVersion, ct);
        var then = WorkflowDecider.Replay(history.Select(e => e.Event));
        return write.PartyIn(then) is { } role
            ? new Outcome.Done(then, role, Created: created, Replayed: true)
            : new Outcome.NotFound();
    }

    private static List<StoredEvent> Stamp(
        IEnumerable<WorkflowEvent> events, int firstVersion, UserId? actor, string? idempotencyKey, string commitId, Via? via) =>
        [.. events.Select((e, i) => new StoredEvent(firstVersion + i, e, actor, idempotencyKey, commitId, via))];
}

/// <summary>
/// Open a workflow. <see cref="Customer"/> and <see cref="Performer"/> are email addresses, or "me" for the caller;
/// the caller must be one of them. <see cref="Start"/>: in draft, or as requested or promised when that already
/// happened (in a mail, the <see cref="Source"/>); <see cref="ReplyBy"/> only with a start as requested.
/// </summary>
public sealed record OpenRequest(
    string Concern, string Customer, string Performer, string? Conditions, DateTimeOffset? DueBy, SourceItem? Source,
    Start Start = Start.Draft, DateTimeOffset? ReplyBy = null)
{
    public const string Me = "me";
}

/// <summary>Events of one workflow, in order; <see cref="NextAfter"/> is the version to continue after, if there are more.</summary>
public sealed record HistoryPage(WorkflowState State, PartyRole CallerRole, IReadOnlyList<StoredEvent> Events, int? NextAfter);

/// <summary>The mail thread or meeting a workflow was opened from; linked to it at once.</summary>
public sealed record SourceItem(string Key, ItemKind Kind, string? Subject);
