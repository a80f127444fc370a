using Workflow.Domain;

namespace Workflow.Application;

/// <summary>The signed-in user: identity from the validated token; email and name for display only.</summary>
public sealed record Caller(UserId Id, string? Email, string? DisplayName);

/// <summary>What became of a request to change a workflow. The API maps each case to one HTTP answer.</summary>
public abstract record Outcome
{
    /// <summary>The change was made (or, for a retry with the same idempotency key, had been made): the state after it.</summary>
    public sealed record Done(WorkflowState State, PartyRole CallerRole, bool Created = false, bool Replayed = false) : Outcome;

    public sealed record NotFound : Outcome;

    /// <summary>The request was malformed in a way only the domain can tell (missing gaps, a past date …).</summary>
    public sealed record Invalid(string Message) : Outcome;

    /// <summary>The move is not allowed in this state, or not to this party.</summary>
    public sealed record Refused(Rejection Rejection, WorkflowState State, PartyRole? By = null) : Outcome;

    /// <summary>The caller's If-Match names a version that is no longer current.</summary>
    public sealed record Stale(WorkflowState Current, PartyRole CallerRole) : Outcome;

    /// <summary>The idempotency key was used before for a different request.</summary>
    public sealed record KeyReused : Outcome;

    /// <summary>Over a limit on how much one person may do (<see cref="LimitOptions"/>); nothing was stored. Try again after <see cref="RetryAfter"/>.</summary>
    public sealed record Limited(string Message, TimeSpan RetryAfter) : Outcome;

    /// <summary>The workflow kept changing under us; the caller may try again.</summary>
    public sealed record Busy : Outcome;
}
