using System.Text.Json;
using System.Text.Json.Serialization;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Hosting;

/// <summary>
/// Every enum the API reads or writes, as camelCase names. One converter per enum, not the one factory for all: the
/// factory makes each converter at run time (MakeGenericType), which the ahead-of-time compiled handler cannot
/// (docs/decisions/0019). <c>AheadOfTimeJsonTests</c> fails when an enum of the domain or the application is missing here.
/// </summary>
internal static class JsonEnums
{
    public static IEnumerable<JsonConverter> CamelCase(bool allowIntegerValues = true)
    {
        var policy = JsonNamingPolicy.CamelCase;
        return
        [
            new JsonStringEnumConverter<PartyRole>(policy, allowIntegerValues),
            new JsonStringEnumConverter<WorkflowStatus>(policy, allowIntegerValues),
            new JsonStringEnumConverter<Quadrant>(policy, allowIntegerValues),
            new JsonStringEnumConverter<Move>(policy, allowIntegerValues),
            new JsonStringEnumConverter<Start>(policy, allowIntegerValues),
            new JsonStringEnumConverter<ClockKind>(policy, allowIntegerValues),
            new JsonStringEnumConverter<ItemKind>(policy, allowIntegerValues),
            new JsonStringEnumConverter<RejectionKind>(policy, allowIntegerValues),
            new JsonStringEnumConverter<ChildRelation>(policy, allowIntegerValues),
            new JsonStringEnumConverter<Answer>(policy, allowIntegerValues),
            new JsonStringEnumConverter<RiskKind>(policy, allowIntegerValues),
            new JsonStringEnumConverter<Domain.Review.ReviewSection>(policy, allowIntegerValues),
            new JsonStringEnumConverter<CycleStart>(policy, allowIntegerValues),
            new JsonStringEnumConverter<Mover>(policy, allowIntegerValues),
            new JsonStringEnumConverter<CommitOutcome>(policy, allowIntegerValues),
            new JsonStringEnumConverter<ListView>(policy, allowIntegerValues),
            new JsonStringEnumConverter<NotifyFrequency>(policy, allowIntegerValues),
            new JsonStringEnumConverter<NoticeKind>(policy, allowIntegerValues),
            new JsonStringEnumConverter<RoleRelation>(policy, allowIntegerValues),
            new JsonStringEnumConverter<MeetingKind>(policy, allowIntegerValues),
        ];
    }

    public static void AddTo(IList<JsonConverter> converters, bool allowIntegerValues = true)
    {
        foreach (var converter in CamelCase(allowIntegerValues))
        {
            converters.Add(converter);
        }
    }
}
