using System.Globalization;
using Workflow.Domain;

namespace Workflow.Application;

/// <summary>A role's cycles are ordinary workflows: opened, and handed over, through the one write path.</summary>
public sealed partial class WorkflowService
{
    /// <summary>
    /// The id of the cycle of <paramref name="accountabilityId"/> for the occurrence <paramref name="due"/>: fixed by
    /// them, so a timer that fires twice, a run that crashed between opening and recording, or two instances racing all
    /// name the same workflow — and the store creates an id once.
    /// </summary>
    public static string CycleId(string roleId, string accountabilityId, DateTimeOffset due) =>
        Hashing.DerivedId("cycle\n" + roleId + "\n" + accountabilityId + "\n" + due.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));

    /// <summary>
    /// Opens the cycle of <paramref name="accountability"/> due at <paramref name="due"/>, with the holder as performer
    /// and as opener (a request recorded, or a standing promise), or finds it opened already. Not counted against the
    /// daily limit of opens: the schedule, not a person, decides how many there are.
    /// </summary>
    public async Task<WorkflowState> OpenCycleAsync(Role role, Accountability accountability, DateTimeOffset due, CancellationToken ct)
    {
        var id = CycleId(role.Id, accountability.Id, due);
        if (await store.LoadAsync(id, ct) is { } opened)
        {
            return opened;
        }
        var start = accountability.Start == CycleStart.Promise ? Start.Promised : Start.Requested;
        var outcome = await WriteAsync(new Write(id, role.Holder.User, Creates: true, Decide: (_, _, now) => WorkflowDecider.Open(
            new OpenWorkflow(id, accountability.Concern, accountability.Customer, role.Holder, PartyRole.Performer, accountability.Conditions, due, Start: start)
            {
                Cycle = new CycleRef(role.Id, role.Name, accountability.Id, due),
            }, now)), ct);
        return outcome is Outcome.Done done
            ? done.State
            : await store.LoadAsync(id, ct) ?? throw new InvalidOperationException($"The cycle {id} of role {role.Id} was not opened ({outcome}).");
    }

    /// <summary>
    /// Records on a cycle what its role's handover did (<see cref="HandoverOffered"/>, <see cref="PerformerHandedOver"/>,
    /// <see cref="HandoverLeft"/>), as the performer's side, made by <paramref name="actor"/> — the role's rules decided
    /// who may. <paramref name="decide"/> returns null when there is nothing to record (already done, or the cycle closed).
    /// </summary>
    public Task<Outcome> RecordHandoverAsync(string workflowId, UserId actor, Func<WorkflowState, WorkflowEvent?> decide, CancellationToken ct) =>
        WriteAsync(new Write(workflowId, actor, ActingFor: PartyRole.Performer, Decide: (state, _, now) =>
            decide(state!) is { } e ? Decision.Accept(e with { By = PartyRole.Performer, At = now }) : Decision.Accept()), ct);

    /// <summary>The cycles among <paramref name="workflowIds"/> still open with <paramref name="performer"/> as their performer.</summary>
    public async Task<IReadOnlyList<WorkflowState>> OpenCyclesOfAsync(IEnumerable<string> workflowIds, UserId performer, CancellationToken ct)
    {
        var open = new List<WorkflowState>();
        foreach (var id in workflowIds.Distinct())
        {
            if (await store.LoadAsync(id, ct) is { IsClosed: false } state && state.Performer.User == performer)
            {
                open.Add(state);
            }
        }
        return open;
    }
}
