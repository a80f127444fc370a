namespace Workflow.Domain;

/// <summary>The two sides of every workflow.</summary>
public enum PartyRole
{
    Customer,
    Performer,
}

/// <summary>Where a conversation for action stands (workflow-model.md, "The conversation state machine").</summary>
public enum WorkflowStatus
{
    Draft,
    Requested,
    Countered,
    Promised,
    Renegotiating,
    Reported,
    Satisfied,
    Reneged,
    Declined,
    Cancelled,
}

/// <summary>The loop's four quadrants; terminal states are closed.</summary>
public enum Quadrant
{
    Q1,
    Q2,
    Q3,
    Q4,
    Closed,
}

/// <summary>Every move of the state machine, named exactly as in the model and the API.</summary>
public enum Move
{
    Request,
    Offer,
    Withdraw,
    Promise,
    Counter,
    Decline,
    CommitToCommit,
    Nudge,
    Accept,
    ReportComplete,
    Renege,
    Cancel,
    ProposeChange,
    AcceptChange,
    RejectChange,
    WithdrawChange,
    CheckIn,
    ReportProgress,
    DeclareSatisfied,
    DeclareNotSatisfied,
    Note,
    Repeat,

    /// <summary>The customer sets how often they will check in on the promise (the dual: the customer's duty).</summary>
    SetCheckIns,

    /// <summary>The customer marks the concern an objective: the root of a tree of promises and their delegations.</summary>
    MarkObjective,

    /// <summary>The customer of a delegated child shows (or stops showing) it to the parent's customer.</summary>
    ShareWithParent,

    /// <summary>Once the loop is closed, each party's feedback to the other.</summary>
    GiveFeedback,
}

/// <summary>
/// Where a workflow stands once opened (workflow-model.md, "How a workflow can start"): in draft, as most start; or
/// already requested or promised, when the request or the promise happened in a mail before anyone opened the product
/// and one of the parties records it.
/// </summary>
public enum Start
{
    Draft,
    Requested,
    Promised,
}

/// <summary>The three clocks. Which is running depends on the state; none ever moves the state by itself.</summary>
public enum ClockKind
{
    ReplyBy,
    DueBy,
    AssessBy,
}

/// <summary>A person as the identity platform knows them: tenant id and object id from a validated token.</summary>
public sealed record UserId(string TenantId, string ObjectId)
{
    public override string ToString() => $"{TenantId}/{ObjectId}";
}

/// <summary>
/// A party of a workflow. <see cref="User"/> is null while the party is pending: named by email, not yet found in
/// the directory. Email is for display and for binding through the directory only — never an identity by itself.
/// Once bound, Email is the address as the directory has it; <see cref="InvitedAs"/> keeps the address the opener
/// typed when that was another spelling, so both parties can see whom an address was bound to.
/// </summary>
public sealed record Party(string Email, string? DisplayName, UserId? User, string? InvitedAs = null)
{
    /// <summary>How a party who had the product forget them is named to the other party.</summary>
    public const string FormerName = "a former colleague";

    /// <summary>The domain of a forgotten party's address: reserved (RFC 2606), so it never reaches anyone.</summary>
    public const string FormerDomain = "former-colleague.invalid";

    /// <summary>Not yet found in the directory; a forgotten party is not pending: nobody is ever bound, mailed or linked as them.</summary>
    public bool IsPending => User is null && !IsFormer;

    /// <summary>The tombstone left where a party was, after they had the product forget them (docs/decisions/0016).</summary>
    public bool IsFormer => User is null && Email.EndsWith("@" + FormerDomain, StringComparison.Ordinal);

    /// <summary>The tombstone of the party <paramref name="alias"/> names: no identity, no address anyone holds.</summary>
    public static Party Former(string alias) => new($"former-colleague-{alias}@{FormerDomain}", FormerName, null);

    /// <summary>How the party is named to others: their display name, or their address when there is none. (A method, not a
    /// property: a property would be written into every stored state.)</summary>
    public string Shown() => DisplayName is { Length: > 0 } name ? name : Email;
}

/// <summary>One version of the conditions of satisfaction: what, and by when.</summary>
public sealed record Terms(int Version, string Conditions, DateTimeOffset? DueBy, PartyRole ProposedBy, DateTimeOffset ProposedAt);

/// <summary>A mail thread, message or meeting linked to a workflow. <see cref="Key"/> identifies it across mailboxes.</summary>
public sealed record ItemLink(string Key, ItemKind Kind, string? Subject, PartyRole LinkedBy, DateTimeOffset LinkedAt);

public enum ItemKind
{
    Message,
    Event,
}

/// <summary>The clocks of a workflow; a null clock is not running.</summary>
public sealed record Clocks(DateTimeOffset? ReplyBy, DateTimeOffset? DueBy, DateTimeOffset? AssessBy)
{
    public static readonly Clocks None = new(null, null, null);

    /// <summary>The earliest running clock: what the person whose move it is must act by.</summary>
    public (ClockKind Kind, DateTimeOffset At)? Next
    {
        get
        {
            (ClockKind, DateTimeOffset)? next = null;
            Consider(ClockKind.ReplyBy, ReplyBy);
            Consider(ClockKind.DueBy, DueBy);
            Consider(ClockKind.AssessBy, AssessBy);
            return next;

            void Consider(ClockKind kind, DateTimeOffset? at)
            {
                if (at is { } value && (next is null || value < next.Value.Item2))
                {
                    next = (kind, value);
                }
            }
        }
    }
}

/// <summary>
/// The one spelling of a quadrant, from the API through storage to a list's query: Q1 … Q4 as people say them, and
/// "closed".
/// </summary>
public static class Quadrants
{
    public static string Name(Quadrant quadrant) => quadrant == Quadrant.Closed ? "closed" : quadrant.ToString();

    /// <summary>Exactly the spelling <see cref="Name"/> writes; nothing else is a quadrant.</summary>
    public static bool TryParse(string? text, out Quadrant quadrant)
    {
        foreach (var candidate in Enum.GetValues<Quadrant>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.Ordinal))
            {
                quadrant = candidate;
                return true;
            }
        }
        quadrant = default;
        return false;
    }
}
