using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// How domain values are written into entities: JSON in binary properties, split into 64 KiB chunks (the Table
/// service's limit per property). The event's stored name (<see cref="EventNames"/>) is kept beside it, so the domain
/// needs no attributes and a renamed class does not strand its history.
/// </summary>
internal static class StorageJson
{
    private const int ChunkSize = 64 * 1024;
    private const string DataProperty = "Data";

    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = StorageJsonContext.Default,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        Hosting.JsonEnums.AddTo(options.Converters);
        options.MakeReadOnly();
        return options;
    }

    /// <summary>The stored metadata of <typeparamref name="T"/>; throws for a type <see cref="StorageJsonContext"/> lacks.</summary>
    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    public static void WriteData<T>(TableEntity entity, T value)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Options.GetTypeInfo(value!.GetType()));
        for (int offset = 0, chunk = 0; offset < bytes.Length || chunk == 0; offset += ChunkSize, chunk++)
        {
            var length = Math.Min(ChunkSize, bytes.Length - offset);
            entity[chunk == 0 ? DataProperty : DataProperty + chunk] = bytes.AsSpan(offset, length).ToArray();
        }
    }

    public static T ReadData<T>(TableEntity entity) =>
        JsonSerializer.Deserialize(Concatenate(entity), Info<T>())!;

    public static WorkflowEvent ReadEvent(TableEntity entity)
    {
        var typeName = entity.GetString("Type");
        if (typeName is null || EventNames.TypeOf(typeName) is not { } type)
        {
            throw new InvalidDataException($"Unknown event type '{typeName}' in {entity.PartitionKey}/{entity.RowKey}.");
        }
        return (WorkflowEvent)JsonSerializer.Deserialize(Concatenate(entity), Options.GetTypeInfo(type))!;
    }

    public static FollowUp ReadFollowUp(TableEntity entity)
    {
        var typeName = entity.GetString("Type");
        if (typeName is null || FollowUp.TypeNamed(typeName) is not { } type)
        {
            throw new InvalidDataException($"Unknown follow-up '{typeName}' in {entity.PartitionKey}/{entity.RowKey}.");
        }
        return (FollowUp)JsonSerializer.Deserialize(Concatenate(entity), Options.GetTypeInfo(type))!;
    }

    private static byte[] Concatenate(TableEntity entity)
    {
        var first = entity.GetBinary(DataProperty) ?? throw new InvalidDataException($"{entity.RowKey} has no data.");
        if (!entity.ContainsKey(DataProperty + "1"))
        {
            // Nearly every row: its data in one chunk, read as stored.
            return first;
        }
        var rest = Enumerable.Range(1, int.MaxValue)
            .Select(i => entity.GetBinary(DataProperty + i))
            .TakeWhile(b => b is not null)
            .ToList();
        return [.. first, .. rest.SelectMany(b => b!)];
    }
}
