using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>
/// Storage that misbehaves the ways real storage does, decided by a seeded random per request (per try — the SDK's
/// own retries meet it again): a write that lands but whose response is lost, a 500 or 503 answered without
/// touching anything, a timeout. While <see cref="Armed"/>.
/// </summary>
public sealed class ChaosPolicy(int seed) : HttpPipelinePolicy
{
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();

    public bool Armed { get; set; }

    public int LostResponses { get; private set; }
    public int ServerErrors { get; private set; }
    public int Timeouts { get; private set; }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var roll = Armed ? Roll() : 1.0;
        switch (roll)
        {
            case < 0.10:
                lock (_gate) { ServerErrors++; }
                message.Response = new SyntheticResponse(roll < 0.05 ? 500 : 503);
                return;
            case < 0.15:
                lock (_gate) { Timeouts++; }
                throw new IOException("Injected: the request timed out before reaching storage.");
            case < 0.30 when message.Request.Method != RequestMethod.Get:
                await ProcessNextAsync(message, pipeline);
                lock (_gate) { LostResponses++; }
                throw new IOException("Injected: the write landed, its response was lost.");
            default:
                await ProcessNextAsync(message, pipeline);
                return;
        }
    }

    private double Roll()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    private sealed class SyntheticResponse(int status) : Response
    {
        public override int Status => status;
        public override string ReasonPhrase => status == 500 ? "Internal Server Error" : "Service Unavailable";
        public override Stream? ContentStream { get; set; } = new MemoryStream();
        public override string ClientRequestId { get; set; } = "";

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
