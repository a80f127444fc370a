using Azure.Core;
using Azure.Core.Pipeline;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>
/// Counts the storage requests sent through the Azure SDK pipeline within a measured scope. The scope flows with the
/// execution context into the in-process server (TestServer preserves it), so background work such as the index
/// projector — which runs off the request path — is not counted.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelinePolicy
{
    private readonly AsyncLocal<Scope?> _current = new();

    public Scope Measure() => _current.Value = new Scope(() => _current.Value = null);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        _current.Value?.Add(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        _current.Value?.Add(message);
        return ProcessNextAsync(message, pipeline);
    }

    public sealed class Scope(Action end) : IDisposable
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _requests = new();

        public int Count => _requests.Count;

        public IReadOnlyCollection<string> Requests => [.. _requests];

        internal void Add(HttpMessage message) => _requests.Enqueue($"{message.Request.Method} {message.Request.Uri.Path}");

        public void Dispose() => end();
    }
}
