using System.Text.Json;
using System.Text.Json.Serialization;
using Workflow.Domain;

namespace Workflow.Api.Hosting;

/// <summary>Quadrants are written as people say them: Q1 … Q4, and "closed".</summary>
public sealed class QuadrantConverter : JsonConverter<Quadrant>
{
    public override Quadrant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() switch
        {
            "Q1" => Quadrant.Q1,
            "Q2" => Quadrant.Q2,
            "Q3" => Quadrant.Q3,
            "Q4" => Quadrant.Q4,
            "closed" => Quadrant.Closed,
            var other => throw new JsonException($"'{other}' is not a quadrant."),
        };

    public override void Write(Utf8JsonWriter writer, Quadrant value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value == Quadrant.Closed ? "closed" : value.ToString());
}
