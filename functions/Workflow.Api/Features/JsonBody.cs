using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Workflow.Api.Features;

/// <summary>
/// Reads request bodies strictly: JSON only, bounded in size, no unknown members (a client can never smuggle in a
/// field the server owns), required members present. Every failure is a 4xx problem naming what was wrong.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // Every body's metadata is generated at build time (ApiJsonContext); none is worked out by reflection.
            TypeInfoResolver = Hosting.ApiJsonContext.Default,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = 16,
        };
        Hosting.JsonEnums.AddTo(options.Converters, allowIntegerValues: false);
        options.MakeReadOnly();
        return options;
    }

    /// <summary>The metadata of the body <typeparamref name="T"/>; throws for a type <c>ApiJsonContext</c> lacks.</summary>
    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <summary>What was wrong, in the API's terms: the JSON path, never the server's type names.</summary>
    private static string Describe(JsonException e)
    {
        var at = e.Path is { Length: > 1 } path ? path[2..] : null;
        return e.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"'{at}' is not a field of this request."
            : e.Message.Contains("missing required properties", StringComparison.Ordinal)
                ? "A required field is missing: " + e.Message[(e.Message.IndexOf("including:", StringComparison.Ordinal) + 10)..].Split('.')[0].Trim() + "."
                : at is null
                    ? "The body is not valid JSON for this request."
                    : $"'{at}' has a value this request cannot take (check its type and format).";
    }

    /// <summary>
    /// Binds a body parameter: reads it strictly and runs its own checks, or throws the <see cref="RequestProblemException"/> that
    /// answers the request. The one place bodies are validated.
    /// </summary>
    public static async ValueTask<T?> BindAsync<T>(HttpContext context) where T : class, IRequestBody
    {
        var (value, problem) = await ReadAsync<T>(context.Request);
        if (problem is not null)
        {
            throw new RequestProblemException(problem);
        }
        return value!.Problem() is { } invalid ? throw new RequestProblemException(Problems.Invalid(invalid)) : value;
    }

    private static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (request.ContentType is not { } contentType
            || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.UnsupportedMediaType());
        }
        if (request.ContentLength > MaxBytes)
        {
            return (null, Problems.TooLarge(MaxBytes));
        }
        // One pooled buffer, sized by Content-Length when the client sent it: a body is read on every write.
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is > 0 and <= MaxBytes ? (int)request.ContentLength + 1 : 4096);
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted)) > 0)
            {
                length += read;
                if (length > MaxBytes)
                {
                    return (null, Problems.TooLarge(MaxBytes));
                }
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
            var value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), Info<T>());
            return value is null ? (null, Problems.Invalid("The body must be a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Invalid(Describe(e)));
        }
        catch (ArgumentException e)
        {
            return (null, Problems.Invalid($"The body is not valid: {e.Message}"));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
