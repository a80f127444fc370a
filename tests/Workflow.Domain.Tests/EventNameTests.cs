namespace Workflow.Domain.Tests;

/// <summary>
/// Stored histories outlive the code: each event is stored under a name of its own. These are the names histories
/// were written with; changing one orphans every history that holds it, so this list changes only by adding.
/// </summary>
public sealed class EventNameTests
{
    private static readonly string[] StoredNames =
    [
        "WorkflowOpened", "Requested", "Offered", "Withdrawn", "Promised", "Countered", "Declined", "ReplyPromised",
        "CounterAccepted", "CompletionReported", "Reneged", "Cancelled", "ChangeProposed", "ChangeAccepted", "ChangeRejected",
        "ChangeWithdrawn", "CheckedIn", "ProgressReported", "SatisfactionDeclared", "DissatisfactionDeclared", "NoteAdded",
        "Repeated", "ItemLinked", "ItemUnlinked", "PartyBound", "GuestLinksRevoked", "Nudged", "RequestRecorded", "PromiseRecorded",
        "CheckInCadenceSet", "ObjectiveMarked", "SharedWithParent", "FeedbackGiven",
        "PerformerHandedOver", "HandoverOffered", "HandoverLeft", "PartyForgotten",
    ];

    [Fact]
    public void Events_are_stored_under_these_names()
    {
        Assert.Equal(StoredNames.Order(StringComparer.Ordinal), EventNames.All.Values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_event_has_a_stored_name_and_each_name_reads_back_as_its_event()
    {
        var events = typeof(WorkflowEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(WorkflowEvent)) && !t.IsAbstract).ToList();

        Assert.All(events, type => Assert.Equal(type, EventNames.TypeOf(EventNames.All[type])));
        Assert.Equal(events.Count, EventNames.All.Count);
    }

    [Fact]
    public void The_api_shows_the_stored_name_in_camel_case()
    {
        Assert.Equal("itemLinked", EventNames.ApiName(new ItemLinked(new ItemLink("thread:x", ItemKind.Message, null, PartyRole.Customer, default))));
        Assert.Null(EventNames.TypeOf("itemLinked"));
    }
}
