using Azure.Core;
using Azure.Core.Pipeline;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>
/// Lets the first matching request reach storage and succeed, then throws away its response as a dropped
/// connection would — so the SDK retries a write that has already happened.
/// </summary>
public sealed class LoseFirstResponsePolicy(string pathContains) : HttpPipelinePolicy
{
    private int _lost;

    public bool Armed { get; set; }

    public int Lost => _lost;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        if (Armed && message.Request.Uri.Path.Contains(pathContains, StringComparison.Ordinal) && Interlocked.CompareExchange(ref _lost, 1, 0) == 0)
        {
            throw new IOException("Injected: the response was lost after the write landed.");
        }
    }
}
