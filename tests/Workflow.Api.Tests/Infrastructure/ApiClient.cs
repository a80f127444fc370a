using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>Small helpers for driving the API as a client would: JSON in, status + JSON + ETag out.</summary>
public static class ApiClient
{
    public sealed record Answer(HttpStatusCode Status, JsonNode? Body, string? ETag, Uri? Location)
    {
        public string Id => Body!["id"]!.GetValue<string>();
        public int Version => Body!["version"]!.GetValue<int>();
        public string State => Body!["state"]!.GetValue<string>();
        public string[] AvailableMoves => [.. Body!["availableMoves"]!.AsArray().Select(m => m!.GetValue<string>())];
        public string? ProblemType => Body?["type"]?.GetValue<string>();
        public string? Detail => Body?["detail"]?.GetValue<string>();

        public override string ToString() => $"{(int)Status} {Body?.ToJsonString()}";
    }

    public static async Task<Answer> Read(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? null : JsonNode.Parse(text);
        return new Answer(response.StatusCode, body, response.Headers.ETag?.Tag, response.Headers.Location);
    }

    public static async Task<Answer> OpenAsync(this HttpClient client, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workflows") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await Read(await client.SendAsync(request));
    }

    /// <summary>
    /// Alice (customer) opens a workflow for Bob (performer), with conditions and a due date a week out: a draft, hers
    /// alone until she asks, unless <paramref name="start"/> is "requested" (she asks at once) or "promised".
    /// </summary>
    public static Task<Answer> OpenForBobAsync(this HttpClient alice, string concern = "Review the Q3 budget", object? source = null,
        string start = "draft") =>
        alice.OpenAsync(new
        {
            concern,
            customer = "me",
            performer = "bob@contoso.test",
            conditions = "Comments on every line over 10k",
            dueBy = DateTimeOffset.UtcNow.AddDays(7),
            source,
            start,
        });

    public static async Task<Answer> MoveAsync(this HttpClient client, string id, string? etag, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/workflows/{id}/moves") { Content = JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await Read(await client.SendAsync(request));
    }

    public static async Task<Answer> PostRawAsync(this HttpClient client, string path, string body, string contentType = "application/json",
        string? etag = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }
        return await Read(await client.SendAsync(request));
    }

    public static async Task<Answer> GetJsonAsync(this HttpClient client, string path) => await Read(await client.GetAsync(path));

    /// <summary>A workflow's whole history, following its pages.</summary>
    public static async Task<JsonArray> HistoryAsync(this HttpClient client, string id)
    {
        var all = new JsonArray();
        string? cursor = null;
        do
        {
            var answer = await client.GetJsonAsync($"/api/workflows/{id}/history" + (cursor is null ? "" : $"?cursor={Uri.EscapeDataString(cursor)}"));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            foreach (var entry in answer.Body!["items"]!.AsArray())
            {
                all.Add(entry!.DeepClone());
            }
            cursor = answer.Body["next"]?.GetValue<string>();
        }
        while (cursor is not null);
        return all;
    }

    public static string[] Ids(this Answer list) =>
        [.. (list.Body is JsonArray array ? array : list.Body!["items"]!.AsArray()).Select(i => i!["id"]!.GetValue<string>())];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
