using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>Fails every storage request whose path matches, while armed — as if the process died right there.</summary>
public sealed class FaultPolicy(string pathContains) : HttpPipelinePolicy
{
    private volatile bool _armed;

    public bool Armed
    {
        get => _armed;
        set => _armed = value;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Fail(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Fail(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Fail(HttpMessage message)
    {
        if (Armed && message.Request.Uri.Path.Contains(pathContains, StringComparison.Ordinal))
        {
            throw new RequestFailedException(0, "Injected fault: the process stopped here.");
        }
    }
}
