using Workflow.Domain;

namespace Workflow.Api.Application;

/// <summary>
/// The use cases: load, decide, commit, index. Thin by design — the rules are the decider's, the storage is the
/// store's; this class only sequences them and turns races into clear outcomes.
/// </summary>
public sealed class WorkflowService(
    IWorkflowStore store, IIndexUpdates index, IDirectory directory, TimeProvider time)
{
    /// <summary>Commands that need no If-Match (link, unlink, bind) are retried this often when a move races them.</summary>
    private const int RetriesOnRace = 5;

    public async Task<Outcome> OpenAsync(
        Caller caller, OpenRequest request, string? idempotencyKey, string requestHash, CancellationToken ct)
    {
        var scope = idempotencyKey is null ? null : new IdempotencyScope(caller.Id, idempotencyKey);
        var id = scope is null ? Guid.NewGuid().ToString("N") : Hashing.DerivedId("open\n" + scope.StorageKey);

        var customer = await ResolveAsync(caller, request.Customer, ct);
        var performer = await ResolveAsync(caller, request.Performer, ct);
        PartyRole? opener = customer.User == caller.Id ? PartyRole.Customer
            : performer.User == caller.Id ? PartyRole.Performer
            : null;
        if (opener is null)
        {
            return new Outcome.Invalid("You must be the customer or the performer of a workflow you open.");
        }

        var now = time.GetUtcNow();
        var decision = WorkflowDecider.Open(
            new OpenWorkflow(id, request.Concern, customer, performer, opener.Value, request.Conditions, request.DueBy), now);
        if (!decision.IsAccepted)
        {
            return new Outcome.Invalid(decision.Rejection!.Message);
        }
        var events = decision.Events.ToList();
        var state = WorkflowDecider.Evolve(null, events[0]);
        if (request.Source is { } source)
        {
            var link = WorkflowDecider.Decide(state, new LinkItem(source.Key, source.Kind, source.Subject), opener.Value, now);
            events.AddRange(link.Events);
            state = link.Events.Aggregate(state, WorkflowDecider.Evolve);
        }

        var stored = Stamp(events, 1, caller, idempotencyKey);
        var record = scope is null ? null : new IdempotencyRecord(scope.StorageKey, requestHash, state.Version);
        if (await store.CreateAsync(state, stored, record, ct) == CommitOutcome.Committed)
        {
            index.Enqueue(state);
            return new Outcome.Done(state, opener.Value, Created: true);
        }
        // The id is taken: with a key, by this caller's earlier attempt (ids derive from the key); without one, a
        // collision of random GUIDs, which does not happen.
        return scope is null
            ? new Outcome.Busy()
            : await ReplayAsync(id, scope, requestHash, caller, created: true, ct) ?? new Outcome.Busy();
    }

    public async Task<Outcome> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var loaded = await store.LoadAsync(id, null, ct);
        if (loaded?.State.RoleOf(caller.Id) is not { } role)
        {
            return new Outcome.NotFound();
        }
        var state = await BindPendingPartiesAsync(loaded.State, caller, ct);
        return new Outcome.Done(state, role);
    }

    public async Task<(PartyRole Role, IReadOnlyList<StoredEvent> Events)?> HistoryAsync(Caller caller, string id, CancellationToken ct)
    {
        var loaded = await store.LoadAsync(id, null, ct);
        if (loaded?.State.RoleOf(caller.Id) is not { } role)
        {
            return null;
        }
        return (role, await store.HistoryAsync(id, loaded.State.Version, ct));
    }

    public async Task<Outcome> MoveAsync(
        Caller caller, string id, ExpectedVersion expected, MakeMove command, string? idempotencyKey, string requestHash,
        CancellationToken ct)
    {
        var scope = idempotencyKey is null ? null : new IdempotencyScope(caller.Id, idempotencyKey);
        var loaded = await store.LoadAsync(id, scope, ct);
        if (loaded?.State.RoleOf(caller.Id) is not { } role)
        {
            return new Outcome.NotFound();
        }
        if (loaded.Prior is { } prior)
        {
            return prior.RequestHash == requestHash
                ? await ReplayAsync(id, scope!, requestHash, caller, created: false, ct) ?? new Outcome.Busy()
                : new Outcome.KeyReused();
        }
        var state = loaded.State;
        if (!expected.Matches(state.Version))
        {
            return new Outcome.Stale(state, role);
        }

        if (command.Move == Move.Repeat)
        {
            // One repeat per workflow, so the new cycle's id can derive from this one's: a retry finds it.
            command = command with { Details = command.Details with { NewWorkflowId = Hashing.DerivedId("repeat\n" + id) } };
        }
        var now = time.GetUtcNow();
        var decision = WorkflowDecider.Decide(state, command, role, now);
        if (!decision.IsAccepted)
        {
            return decision.Rejection!.Kind == RejectionKind.InvalidDetails
                ? new Outcome.Invalid(decision.Rejection.Message)
                : new Outcome.Refused(decision.Rejection, state);
        }

        var next = decision.Events.Aggregate(state, WorkflowDecider.Evolve);
        var record = scope is null ? null : new IdempotencyRecord(scope.StorageKey, requestHash, next.Version);
        var stored = Stamp(decision.Events, state.Version + 1, caller, idempotencyKey);
        if (await store.AppendAsync(state.Version, next, stored, record, ct) == CommitOutcome.VersionTaken)
        {
            // Either a concurrent writer won, or our own write landed and only its response was lost (the SDK then
            // retries and meets itself). The idempotency record tells the two apart.
            var after = await store.LoadAsync(id, scope, ct);
            if (after?.Prior is { } mine && mine.RequestHash == requestHash)
            {
                return await ReplayAsync(id, scope!, requestHash, caller, created: false, ct) ?? new Outcome.Busy();
            }
            return after is null ? new Outcome.NotFound() : new Outcome.Stale(after.State, role);
        }

        index.Enqueue(next);
        if (next.RepeatedAs is { } newId && state.RepeatedAs is null)
        {
            await StartRepeatAsync(next, newId, role, ct);
        }
        return new Outcome.Done(next, role);
    }

    public Task<Outcome> LinkAsync(Caller caller, string id, LinkItem link, CancellationToken ct) =>
        ChangeWithRetryAsync(caller, id, link, ct);

    public Task<Outcome> UnlinkAsync(Caller caller, string id, string key, CancellationToken ct) =>
        ChangeWithRetryAsync(caller, id, new UnlinkItem(key), ct);

    /// <summary>
    /// Creates the new cycle a repeat names. Idempotent: the id is fixed by the repeat, so running it again (a retry,
    /// or the index projector finishing what a crash interrupted) finds the cycle already there.
    /// </summary>
    public async Task StartRepeatAsync(WorkflowState closed, string newId, PartyRole repeatedBy, CancellationToken ct)
    {
        var terms = closed.Promised ?? closed.Proposed;
        var decision = WorkflowDecider.Open(
            new OpenWorkflow(newId, closed.Concern, closed.Customer, closed.Performer, repeatedBy, terms?.Conditions, null, closed.Id),
            time.GetUtcNow());
        var state = WorkflowDecider.Evolve(null, decision.Events[0]);
        var opener = closed[repeatedBy].User;
        if (await store.CreateAsync(state, Stamp(decision.Events, 1, opener, null), null, ct) == CommitOutcome.Committed)
        {
            index.Enqueue(state);
        }
    }

    private async Task<Outcome> ChangeWithRetryAsync(Caller caller, string id, WorkflowCommand command, CancellationToken ct)
    {
        for (var attempt = 0; attempt < RetriesOnRace; attempt++)
        {
            var loaded = await store.LoadAsync(id, null, ct);
            if (loaded?.State.RoleOf(caller.Id) is not { } role)
            {
                return new Outcome.NotFound();
            }
            var decision = WorkflowDecider.Decide(loaded.State, command, role, time.GetUtcNow());
            if (!decision.IsAccepted)
            {
                return new Outcome.Invalid(decision.Rejection!.Message);
            }
            if (decision.Events.Count == 0)
            {
                return new Outcome.Done(loaded.State, role);
            }
            var next = decision.Events.Aggregate(loaded.State, WorkflowDecider.Evolve);
            var stored = Stamp(decision.Events, loaded.State.Version + 1, caller, null);
            if (await store.AppendAsync(loaded.State.Version, next, stored, null, ct) == CommitOutcome.Committed)
            {
                index.Enqueue(next);
                return new Outcome.Done(next, role);
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
            var found = await directory.FindByEmailAsync(tenant, state[role].Email, ct);
            if (found is null || found.Id == state[WorkflowState.Other(role)].User)
            {
                continue;
            }
            var outcome = await ChangeWithRetryAsync(caller, state.Id, new BindParty(role, found.Id, found.DisplayName), ct);
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
        var found = await directory.FindByEmailAsync(caller.Id.TenantId, email, ct);
        return found is null
            ? new Party(email.ToLowerInvariant(), null, null)
            : new Party(found.Email, found.DisplayName, found.Id);
    }

    private async Task<Outcome?> ReplayAsync(
        string id, IdempotencyScope scope, string requestHash, Caller caller, bool created, CancellationToken ct)
    {
        var loaded = await store.LoadAsync(id, scope, ct);
        if (loaded?.Prior is not { } prior || loaded.State.RoleOf(caller.Id) is not { } role)
        {
            return null;
        }
        if (prior.RequestHash != requestHash)
        {
            return new Outcome.KeyReused();
        }
        var history = await store.HistoryAsync(id, prior.ResultVersion, ct);
        var then = WorkflowDecider.Replay(history.Select(e => e.Event));
        return new Outcome.Done(then, role, Created: created, Replayed: true);
    }

    private static List<StoredEvent> Stamp(IEnumerable<WorkflowEvent> events, int firstVersion, Caller caller, string? idempotencyKey) =>
        Stamp(events, firstVersion, caller.Id, idempotencyKey);

    private static List<StoredEvent> Stamp(IEnumerable<WorkflowEvent> events, int firstVersion, UserId? actor, string? idempotencyKey) =>
        [.. events.Select((e, i) => new StoredEvent(firstVersion + i, e, actor, idempotencyKey))];
}

/// <summary>
/// Open a workflow. <see cref="Customer"/> and <see cref="Performer"/> are email addresses, or "me" for the caller;
/// the caller must be one of them.
/// </summary>
public sealed record OpenRequest(
    string Concern, string Customer, string Performer, string? Conditions, DateTimeOffset? DueBy, SourceItem? Source)
{
    public const string Me = "me";
}

/// <summary>The mail thread or meeting a workflow was opened from; linked to it at once.</summary>
public sealed record SourceItem(string Key, ItemKind Kind, string? Subject);
