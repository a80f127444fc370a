using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>
/// Holds every exchange a test client makes to the contract (contract/openapi.json, which an API test keeps equal to
/// the served document): the status code must be one the operation declares, and a JSON body must match the schema
/// declared for that status; a body the API took must be one the contract allows (the contract may not refuse what the
/// API accepts). A violation fails the request, and so the test that made it. Requests to routes the
/// document leaves out (the local sign-in, the host's own routes) pass unchecked.
/// </summary>
public sealed class ContractCheck(ContractDocument? contract = null) : DelegatingHandler
{
    private readonly ContractDocument _contract = contract ?? ContractDocument.CheckedIn;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? sent = null;
        if (request.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken);
            sent = await content.ReadAsStringAsync(cancellationToken);
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (_contract.Find(request.Method.Method, request.RequestUri!.AbsolutePath) is not { } operation)
        {
            return response;
        }
        if (response.IsSuccessStatusCode && sent is not null && operation.RequestViolation(request.Content!.Headers.ContentType?.MediaType, sent) is { } refused)
        {
            throw new ContractViolationException($"{request.Method} {request.RequestUri.PathAndQuery} → {(int)response.StatusCode}: the API took a body its contract refuses: {refused}\n{sent}");
        }
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (operation.Violation((int)response.StatusCode, mediaType, body) is { } violation)
        {
            throw new ContractViolationException($"{request.Method} {request.RequestUri.PathAndQuery} → {(int)response.StatusCode} {mediaType}: {violation}\n{body}");
        }
        return response;
    }
}

public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>An OpenAPI 3.1 document's operations, each with its declared responses and their JSON Schemas.</summary>
public sealed class ContractDocument
{
    private static readonly Lazy<ContractDocument> Lazy = new(() =>
        new ContractDocument(File.ReadAllText(Path.Combine(RepoRoot.Path, "contract", "openapi.json"))));

    /// <summary>The checked-in contract, contract/openapi.json.</summary>
    public static ContractDocument CheckedIn => Lazy.Value;

    private readonly List<(Regex Path, string Method, Operation Operation)> _operations = [];

    public ContractDocument(string document)
    {
        // Component references become $defs, so each response schema is a self-contained JSON Schema 2020-12 document.
        var root = JsonNode.Parse(document.Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal))!.AsObject();
        var defs = root["components"]?["schemas"] ?? new JsonObject();
        foreach (var (template, item) in root["paths"]!.AsObject())
        {
            var pattern = new Regex("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$", RegexOptions.CultureInvariant);
            foreach (var (method, operation) in item!.AsObject())
            {
                _operations.Add((pattern, method.ToUpperInvariant(), new Operation(
                    method.ToUpperInvariant() + " " + template, operation!["responses"]!.AsObject(), operation["requestBody"]?["content"] as JsonObject, defs)));
            }
        }
    }

    public Operation? Find(string method, string path) =>
        _operations.FirstOrDefault(o => o.Method == method && o.Path.IsMatch(path)).Operation;

    public sealed class Operation(string name, JsonObject responses, JsonObject? requestBody, JsonNode defs)
    {
        private readonly ConcurrentDictionary<(string Status, string MediaType), JsonSchema> _schemas = new();

        /// <summary>What is wrong with a request body by the contract, or null (also when the contract declares none).</summary>
        public string? RequestViolation(string? mediaType, string body)
        {
            if (requestBody is null)
            {
                return null;
            }
            if (mediaType is null || requestBody[mediaType]?["schema"] is not { } schemaNode)
            {
                return $"{name} takes {string.Join(", ", requestBody.Select(c => c.Key))}, not {mediaType ?? "an untyped body"}.";
            }
            return Evaluate(_schemas.GetOrAdd(("request", mediaType), _ => Build(schemaNode)), body, "request");
        }

        /// <summary>What is wrong with this answer by the contract, or null.</summary>
        public string? Violation(int status, string? mediaType, string body)
        {
            var code = status.ToString(CultureInfo.InvariantCulture);
            if (responses[code] is not { } declared)
            {
                return $"{name} does not declare {code} (it declares {string.Join(", ", responses.Select(r => r.Key))}).";
            }
            if (declared["content"] is not JsonObject content || content.Count == 0)
            {
                return body.Length == 0 ? null : $"{name} declares no body for {code}.";
            }
            if (mediaType is null || content[mediaType]?["schema"] is not { } schemaNode)
            {
                return $"{name} declares {code} as {string.Join(", ", content.Select(c => c.Key))}, not {mediaType ?? "an empty body"}.";
            }
            if (!mediaType.EndsWith("json", StringComparison.Ordinal))
            {
                return null;
            }
            return Evaluate(_schemas.GetOrAdd((code, mediaType), _ => Build(schemaNode)), body, code);
        }

        private JsonSchema Build(JsonNode schemaNode)
        {
            var root = schemaNode.DeepClone().AsObject();
            root["$defs"] = defs.DeepClone();
            return JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://contract.test/{Guid.NewGuid():N}"));
        }

        private string? Evaluate(JsonSchema schema, string body, string what)
        {
            using var instance = JsonDocument.Parse(body);
            var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            return result.IsValid
                ? null
                : $"the body does not match {name}'s {what} schema: " + string.Join("; ", (result.Details ?? [])
                    .Where(d => d.Errors is { Count: > 0 })
                    .Select(d => $"{d.InstanceLocation} ({d.EvaluationPath}): {string.Join(", ", d.Errors!.Values)}"));
        }
    }
}
