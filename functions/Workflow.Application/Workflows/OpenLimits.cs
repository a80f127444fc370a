using Workflow.Domain;

namespace Workflow.Application;

/// <summary>Limits on opening workflows (configuration section "Limits").</summary>
public sealed class LimitOptions
{
    public const string Section = "Limits";

    /// <summary>
    /// How many workflows one person may open naming the same other person in one UTC day. Opening puts an item in
    /// front of the other party at once (a recorded request or promise, and every draft once it is sent), so this
    /// bounds what one sender — or a runaway script with their token — can put in front of one colleague.
    /// </summary>
    public int OpensTowardsOnePersonPerDay { get; set; } = 20;
}

/// <summary>
/// The count of opens from one person towards another, per UTC day, shared by every instance of the API. Counting is
/// what admits an open: two instances counting at once must never both take the last place.
/// </summary>
public interface IOpenLedger
{
    /// <summary>
    /// Counts one more open by <paramref name="opener"/> naming <paramref name="towards"/> (a normalised email) on
    /// <paramref name="day"/>, unless <paramref name="limit"/> opens were already counted: then counts nothing and
    /// returns false.
    /// </summary>
    Task<bool> TryCountAsync(UserId opener, string towards, DateOnly day, int limit, CancellationToken cancellationToken);
}
