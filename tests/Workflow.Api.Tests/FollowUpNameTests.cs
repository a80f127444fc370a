using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>Outbox rows outlive the code that wrote them: their names are pinned, not taken from class names.</summary>
public sealed class FollowUpNameTests
{
    [Fact]
    public void Follow_ups_are_stored_under_these_names()
    {
        Assert.Equal(
            [("RecordOutcomes", "meetingOutcomes"), ("Notify", "notify"), ("NotifyAlso", "notifyAlso"), ("ProjectFigures", "projectFigures"), ("ProjectIndex", "projectIndex"), ("StartCycle", "startCycle")],
            FollowUp.Names.Select(n => (n.Key.Name, n.Value)).OrderBy(n => n.Value, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_kind_of_follow_up_has_a_stored_name()
    {
        var kinds = typeof(FollowUp).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(FollowUp)) && !t.IsAbstract);

        Assert.All(kinds, kind => Assert.True(FollowUp.Names.ContainsKey(kind), $"{kind.Name} has no stored name."));
    }

    [Fact]
    public void A_commit_owes_its_projection_and_a_repeat_its_new_cycle()
    {
        var opened = WorkflowDecider.Evolve(null, new WorkflowOpened("0123456789abcdef0123456789abcdef", "c",
            new Party("a@x.test", null, null), new Party("b@x.test", null, null), null, null) { By = PartyRole.Customer });
        var repeat = new Repeated("fedcba9876543210fedcba9876543210") { By = PartyRole.Performer };

        var owed = FollowUp.For(opened with { Version = 6 }, opened with { Version = 7 }, [new StoredEvent(7, repeat, null, null)]);

        Assert.Equal([new ProjectIndex(7, From: 7), new StartCycle(7, "fedcba9876543210fedcba9876543210", PartyRole.Performer)], owed);
    }

    [Fact]
    public void A_projection_row_stored_before_it_named_its_commits_first_version_reads_as_from_the_first_event()
    {
        var stored = new Azure.Data.Tables.TableEntity("0123456789abcdef0123456789abcdef", "outbox-0000000004-projectIndex")
        {
            ["Type"] = "projectIndex",
            ["Data"] = System.Text.Encoding.UTF8.GetBytes("""{"version":4}"""),
        };

        Assert.Equal(new ProjectIndex(4, From: 0), Workflow.Api.Storage.StorageJson.ReadFollowUp(stored));
    }
}
