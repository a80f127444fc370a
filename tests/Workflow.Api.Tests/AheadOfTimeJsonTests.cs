using System.Text.Json;
using Azure.Data.Tables;
using Workflow.Api.Features;
using Workflow.Api.Hosting;
using Workflow.Api.Storage;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// The handler ships compiled ahead of time (docs/decisions/0019), where JSON has only the metadata generated at build
/// time and an enum converter cannot be made at run time. Each list that has to be complete by hand is checked here
/// against what the assemblies hold, so a new event, follow-up or enum fails a test instead of a request in Azure.
/// </summary>
public sealed class AheadOfTimeJsonTests
{
    private static readonly Type[] Enums =
        [.. new[] { typeof(WorkflowState).Assembly, typeof(FollowUp).Assembly }.SelectMany(a => a.GetExportedTypes()).Where(t => t.IsEnum)];

    [Fact]
    public void Every_enum_of_the_domain_and_the_application_has_its_camel_case_converter()
    {
        var converted = JsonEnums.CamelCase().Select(c => c.GetType().GetGenericArguments().Single()).ToHashSet();

        Assert.NotEmpty(Enums);
        Assert.All(Enums, e => Assert.True(converted.Contains(e), $"{e.Name} has no converter in JsonEnums."));
        Assert.Equal(converted.Count, JsonEnums.CamelCase().Count());
    }

    [Fact]
    public void Enums_are_written_and_read_by_camel_case_name_in_storage_and_answers()
    {
        var stored = StorageJson.Options.GetTypeInfo(typeof(ChildRelation));

        Assert.Equal("\"delegated\"", JsonSerializer.Serialize(ChildRelation.Delegated, stored));
        Assert.Equal(ChildRelation.Delegated, JsonSerializer.Deserialize("\"delegated\"", stored));
    }

    [Fact]
    public void A_body_may_not_give_an_enum_as_a_number()
    {
        var body = JsonBody.Info<Features.Workflows.WorkflowEndpoints.OpenBody>();

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(
            """{"concern":"c","customer":"a@x.test","performer":"b@x.test","start":1}""", body));
        Assert.Equal(Start.Requested, JsonSerializer.Deserialize(
            """{"concern":"c","customer":"a@x.test","performer":"b@x.test","start":"requested"}""", body)!.Start);
    }

    [Fact]
    public void Every_event_is_stored_and_answered_from_build_time_metadata()
    {
        Assert.All(EventNames.All.Keys, type =>
        {
            Assert.NotNull(StorageJsonContext.Default.GetTypeInfo(type));
            Assert.NotNull(ApiJsonContext.Default.GetTypeInfo(type));
        });
    }

    [Fact]
    public void Every_follow_up_is_stored_from_build_time_metadata_and_read_back()
    {
        Assert.All(FollowUp.Names, pair =>
        {
            Assert.NotNull(StorageJsonContext.Default.GetTypeInfo(pair.Key));
        });
        var entity = new TableEntity("p", "r") { ["Type"] = "startCycle" };
        StorageJson.WriteData(entity, new StartCycle(3, "fedcba9876543210fedcba9876543210", PartyRole.Performer));

        Assert.Equal(new StartCycle(3, "fedcba9876543210fedcba9876543210", PartyRole.Performer), StorageJson.ReadFollowUp(entity));
    }

    [Fact]
    public void Nothing_stored_or_answered_falls_back_to_reflection()
    {
        // A type no context names: each options instance must refuse it rather than work it out by reflection.
        Assert.ThrowsAny<NotSupportedException>(() => StorageJson.Options.GetTypeInfo(typeof(Unlisted)));
        Assert.ThrowsAny<NotSupportedException>(() => JsonBody.Options.GetTypeInfo(typeof(Unlisted)));
    }

    private sealed record Unlisted(string Name);
}
