namespace Workflow.Domain;

/// <summary>
/// The names events are stored and shown under. Fixed here, never derived from a class name: a stored history
/// outlives any refactoring of this code, so renaming a class must not strand its events (EventNameTests pins every
/// name, and fails for an event without one). The names are the ones histories were first written with.
/// </summary>
public static class EventNames
{
    private static readonly Dictionary<Type, string> ByType = new()
    {
        [typeof(WorkflowOpened)] = "WorkflowOpened",
        [typeof(Requested)] = "Requested",
        [typeof(Offered)] = "Offered",
        [typeof(Withdrawn)] = "Withdrawn",
        [typeof(Promised)] = "Promised",
        [typeof(Countered)] = "Countered",
        [typeof(Declined)] = "Declined",
        [typeof(ReplyPromised)] = "ReplyPromised",
        [typeof(CounterAccepted)] = "CounterAccepted",
        [typeof(CompletionReported)] = "CompletionReported",
        [typeof(Reneged)] = "Reneged",
        [typeof(Cancelled)] = "Cancelled",
        [typeof(ChangeProposed)] = "ChangeProposed",
        [typeof(ChangeAccepted)] = "ChangeAccepted",
        [typeof(ChangeRejected)] = "ChangeRejected",
        [typeof(ChangeWithdrawn)] = "ChangeWithdrawn",
        [typeof(CheckedIn)] = "CheckedIn",
        [typeof(ProgressReported)] = "ProgressReported",
        [typeof(SatisfactionDeclared)] = "SatisfactionDeclared",
        [typeof(DissatisfactionDeclared)] = "DissatisfactionDeclared",
        [typeof(NoteAdded)] = "NoteAdded",
        [typeof(Repeated)] = "Repeated",
        [typeof(ItemLinked)] = "ItemLinked",
        [typeof(ItemUnlinked)] = "ItemUnlinked",
        [typeof(PartyBound)] = "PartyBound",
    };

    private static readonly Dictionary<string, Type> ByName = ByType.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyDictionary<Type, string> All => ByType;

    /// <summary>The stored name of <paramref name="e"/>'s kind.</summary>
    public static string Of(WorkflowEvent e) => ByType.TryGetValue(e.GetType(), out var name)
        ? name
        : throw new InvalidOperationException($"{e.GetType().Name} has no stored name: add it to {nameof(EventNames)}.");

    /// <summary>The event type stored under <paramref name="name"/>, or null.</summary>
    public static Type? TypeOf(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The name as the API shows it: camelCase of the stored name ("itemLinked").</summary>
    public static string ApiName(WorkflowEvent e)
    {
        var name = Of(e);
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
