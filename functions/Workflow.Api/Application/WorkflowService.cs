using Microsoft.Extensions.Caching.Memory;
using Workflow.Domain;

namespace Workflow.Api.Application;

/// <summary>
/// The use cases: load, decide, commit, index. Thin by design — the rules are the decider's, the storage is the
/// store's; this class only sequences them and turns races and retries into clear outcomes.
/// </summary>
public sealed class WorkflowService(
    IWorkflowStore store, IIndexUpdates index, IDirectory directory, TimeProvider time, ILogger<WorkflowService> logger,
    DirectoryOptions? directoryOptions = null) : IDisposable
{
    /// <summary>Commands that need no If-Match (link, unlink, bind) are retried this often when a move races them.</summary>
    private const int RetriesOnRace = 5;

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
        var scope = idempotencyKey is null ? null : new IdempotencyScope(caller.Id, idempotencyKey);
        var id = scope is null ? Guid.NewGuid().ToString("N") : Hashing.DerivedId("open\n" + scope.StorageKey);
        if (scope is not null && await store.FindIdempotencyAsync(id, scope, ct) is { } earlier)
        {
            // A retry: answer what the first attempt did, even if the request would no longer be valid now.
            return await AnswerRetryAsync(id, earlier, requestHash, caller, created: true, ct);
        }

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

        var commitId = Guid.NewGuid().ToString("N");
        var stored = Stamp(events, 1, caller.Id, idempotencyKey, commitId);
        var record = scope is null ? null : new IdempotencyRecord(scope.StorageKey, requestHash, state.Version);
        if (await store.CreateAsync(state, stored, record, ct) == CommitOutcome.Committed
            || await IsOurCommitAsync(id, 1, commitId, ct))
        {
            index.Enqueue(state);
            return new Outcome.Done(state, opener.Value, Created: true);
        }
        // The id is taken by a concurrent attempt with the same key (ids derive from it).
        return scope is not null && await store.FindIdempotencyAsync(id, scope, ct) is { } concurrent
            ? await AnswerRetryAsync(id, concurrent, requestHash, caller, created: true, ct)
            : new Outcome.Busy();
    }

    public async Task<Outcome> GetAsync(Caller caller, string id, CancellationToken ct)
    {
        var state = await store.LoadAsync(id, ct);
        if (state?.RoleOf(caller.Id) is not { } role)
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
        if (state?.RoleOf(caller.Id) is not { } role)
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
    public async Task<Outcome> MoveAsync(
        Caller caller, string id, int expectedVersion, MakeMove command, string? idempotencyKey, string requestHash,
        CancellationToken ct)
    {
        var scope = idempotencyKey is null ? null : new IdempotencyScope(caller.Id, idempotencyKey);
        var state = await store.LoadAsync(id, ct);
        if (state?.RoleOf(caller.Id) is not { } role)
        {
            return new Outcome.NotFound();
        }
        if (state.Version != expectedVersion)
        {
            return await EarlierAnswerAsync(id, scope, requestHash, caller, ct) ?? new Outcome.Stale(state, role);
        }

        if (command.Move == Move.Repeat)
        {
            // One repeat per workflow, so the new cycle's id can derive from this one's: a retry finds it.
            command = command with { Details = command.Details with { NewWorkflowId = Hashing.DerivedId("repeat\n" + id) } };
        }
        var decision = WorkflowDecider.Decide(state, command, role, time.GetUtcNow());
        if (!decision.IsAccepted)
        {
            return await EarlierAnswerAsync(id, scope, requestHash, caller, ct)
                ?? (decision.Rejection!.Kind == RejectionKind.InvalidDetails
                    ? new Outcome.Invalid(decision.Rejection.Message)
                    : new Outcome.Refused(decision.Rejection, state));
        }

        var next = decision.Events.Aggregate(state, WorkflowDecider.Evolve);
        var commitId = Guid.NewGuid().ToString("N");
        var record = scope is null ? null : new IdempotencyRecord(scope.StorageKey, requestHash, next.Version);
        var stored = Stamp(decision.Events, state.Version + 1, caller.Id, idempotencyKey, commitId);
        if (await store.AppendAsync(state.Version, next, stored, record, ct) == CommitOutcome.VersionTaken
            && !await IsOurCommitAsync(id, state.Version + 1, commitId, ct))
        {
            // Someone else's commit won — or this key's earlier request did (a retry racing its original).
            return await EarlierAnswerAsync(id, scope, requestHash, caller, ct)
                ?? (await store.LoadAsync(id, ct) is { } after ? new Outcome.Stale(after, role) : new Outcome.NotFound());
        }

        index.Enqueue(next);
        if (next.RepeatedAs is { } newId && state.RepeatedAs is null)
        {
            try
            {
                await StartRepeatAsync(next, newId, role, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The repeat is recorded; the index projector creates the new cycle from it.
                Hosting.Log.RepeatDeferred(logger, e, newId);
            }
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
        var stored = Stamp(decision.Events, 1, closed[repeatedBy].User, null, Guid.NewGuid().ToString("N"));
        if (await store.CreateAsync(state, stored, null, ct) == CommitOutcome.Committed)
        {
            index.Enqueue(state);
        }
    }

    private async Task<Outcome> ChangeWithRetryAsync(Caller caller, string id, WorkflowCommand command, CancellationToken ct)
    {
        for (var attempt = 0; attempt < RetriesOnRace; attempt++)
        {
            var state = await store.LoadAsync(id, ct);
            if (state?.RoleOf(caller.Id) is not { } role)
            {
                return new Outcome.NotFound();
            }
            var decision = WorkflowDecider.Decide(state, command, role, time.GetUtcNow());
            if (!decision.IsAccepted)
            {
                return new Outcome.Invalid(decision.Rejection!.Message);
            }
            if (decision.Events.Count == 0)
            {
                return new Outcome.Done(state, role);
            }
            var next = decision.Events.Aggregate(state, WorkflowDecider.Evolve);
            var commitId = Guid.NewGuid().ToString("N");
            var stored = Stamp(decision.Events, state.Version + 1, caller.Id, null, commitId);
            if (await store.AppendAsync(state.Version, next, stored, null, ct) == CommitOutcome.Committed
                || await IsOurCommitAsync(id, state.Version + 1, commitId, ct))
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
            var found = await FindInDirectoryAsync(tenant, state[role].Email, ct);
            if (found is null || found.Id == state[WorkflowState.Other(role)].User)
            {
                continue;
            }
            if (await ChangeWithRetryAsync(caller, state.Id, new BindParty(role, found.Id, found.DisplayName, found.Email), ct) is Outcome.Done done)
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

    private async Task<bool> IsOurCommitAsync(string id, int version, string commitId, CancellationToken ct) =>
        (await store.EventAsync(id, version, ct))?.CommitId == commitId;

    /// <summary>If this idempotency key was used before on this workflow: the answer that request got (or 422).</summary>
    private async Task<Outcome?> EarlierAnswerAsync(string id, IdempotencyScope? scope, string requestHash, Caller caller, CancellationToken ct) =>
        scope is not null && await store.FindIdempotencyAsync(id, scope, ct) is { } earlier
            ? await AnswerRetryAsync(id, earlier, requestHash, caller, created: false, ct)
            : null;

    private async Task<Outcome> AnswerRetryAsync(
        string id, IdempotencyRecord earlier, string requestHash, Caller caller, bool created, CancellationToken ct)
    {
        if (earlier.RequestHash != requestHash)
        {
            return new Outcome.KeyReused();
        }
        var history = await store.HistoryAsync(id, earlier.ResultVersion, ct);
        var then = WorkflowDecider.Replay(history.Select(e => e.Event));
        return then.RoleOf(caller.Id) is { } role
            ? new Outcome.Done(then, role, Created: created, Replayed: true)
            : new Outcome.NotFound();
    }

    private static List<StoredEvent> Stamp(IEnumerable<WorkflowEvent> events, int firstVersion, UserId? actor, string? idempotencyKey, string commitId) =>
        [.. events.Select((e, i) => new StoredEvent(firstVersion + i, e, actor, idempotencyKey, commitId))];
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

/// <summary>Events of one workflow, in order; <see cref="NextAfter"/> is the version to continue after, if there are more.</summary>
public sealed record HistoryPage(WorkflowState State, PartyRole CallerRole, IReadOnlyList<StoredEvent> Events, int? NextAfter);

/// <summary>The mail thread or meeting a workflow was opened from; linked to it at once.</summary>
public sealed record SourceItem(string Key, ItemKind Kind, string? Subject);
