using System.Collections.Concurrent;
using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// The tables are made ready — the first storage work of any request, once per process — in the background once the
/// handler has answered the host's readiness probe: not before (it would delay that answer), and not by the first user
/// of a cold instance. Storage is real (Azurite); a pipeline policy sees every request and can take storage down.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class StorageWarmUpTests(Azurite azurite) : IAsyncLifetime
{
    private const int Tables = 13;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly StorageTap _storage = new();
    private readonly WarningLog _warnings = new();
    private ApiFactory _api = null!;

    public Task InitializeAsync()
    {
        _api = new ApiFactory(azurite, services: s => s
            .AddSingleton<HttpPipelinePolicy>(_storage)
            .AddSingleton<ILoggerProvider>(_warnings));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_tables_are_made_ready_after_the_readiness_answer_and_the_first_user_does_not_wait_for_it()
    {
        using var host = _api.CreateHostClient();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Empty(_storage.Requests); // The server listens; nothing has answered the host yet, and storage is untouched.

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/")).StatusCode);
        await _storage.WaitForAsync(requests => requests.Count(IsTableCreation) >= Tables, Patience);

        var before = _storage.Requests.Count(IsTableCreation);
        using var alice = await _api.SignedInAsync("alice@contoso.test");
        var me = await alice.GetJsonAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(before, _storage.Requests.Count(IsTableCreation));
        Assert.Empty(_warnings.Messages);
    }

    [Fact]
    public async Task When_storage_is_down_at_start_the_handler_still_answers_and_the_first_request_makes_the_tables_ready()
    {
        _storage.Down = true;
        using var host = _api.CreateHostClient();

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/")).StatusCode);
        await _warnings.Logged.Task.WaitAsync(Patience);
        Assert.Contains(_warnings.Messages, m => m.Contains("tables could not be made ready", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/")).StatusCode);

        _storage.Down = false;
        var refused = _storage.Requests.Count;
        using var alice = await _api.SignedInAsync("alice@contoso.test");
        var me = await alice.GetJsonAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.True(_storage.Requests.Skip(refused).Count(IsTableCreation) >= Tables);
    }

    [Fact]
    public async Task An_instance_started_where_the_tables_exist_makes_them_ready_with_one_request()
    {
        using (var first = _api.CreateHostClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/")).StatusCode);
            await _storage.WaitForAsync(requests => requests.Count(IsTableCreation) >= Tables, Patience);
        }
        var later = new StorageTap();
        await using var second = new ApiFactory(azurite, services: s => s.AddSingleton<HttpPipelinePolicy>(later),
            settings: new Dictionary<string, string?> { ["Tables:TablePrefix"] = _api.TablePrefix });
        using var host = second.CreateHostClient();

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/")).StatusCode);
        await later.WaitForAsync(requests => requests.Count > 0, Patience);
        using var alice = await second.SignedInAsync("alice@contoso.test");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetJsonAsync("/api/me")).Status);

        Assert.Single(later.Requests, r => r.StartsWith("GET ", StringComparison.Ordinal) && r.TrimEnd('/').EndsWith("/Tables", StringComparison.Ordinal));
        Assert.DoesNotContain(later.Requests, IsTableCreation);
    }

    [Fact]
    public async Task Where_storage_refuses_to_list_tables_each_is_created_as_before()
    {
        _storage.RefuseListing = true;
        using var host = _api.CreateHostClient();

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/")).StatusCode);
        await _storage.WaitForAsync(requests => requests.Count(IsTableCreation) >= Tables, Patience);
        using var alice = await _api.SignedInAsync("alice@contoso.test");

        Assert.Equal(HttpStatusCode.OK, (await alice.GetJsonAsync("/api/me")).Status);
        Assert.Empty(_warnings.Messages);
    }

    /// <summary>Create Table: a POST to the account's Tables resource (the name is in the body).</summary>
    private static bool IsTableCreation(string request) =>
        request.StartsWith("POST ", StringComparison.Ordinal) && request.TrimEnd('/').EndsWith("/Tables", StringComparison.Ordinal);

    /// <summary>Every storage request the API makes, as "METHOD path"; while <see cref="Down"/>, each is refused with a 503.</summary>
    private sealed class StorageTap : HttpPipelinePolicy
    {
        private readonly ConcurrentQueue<string> _requests = new();

        public volatile bool Down;

        /// <summary>Answers Query Tables 403, as an identity allowed to create tables but not to list them would get.</summary>
        public volatile bool RefuseListing;

        public IReadOnlyList<string> Requests => [.. _requests];

        public async Task WaitForAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan patience)
        {
            var until = DateTime.UtcNow + patience;
            while (!condition(Requests))
            {
                Assert.True(DateTime.UtcNow < until, $"Storage saw only: {string.Join(", ", Requests)}");
                await Task.Delay(20);
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Record(HttpMessage message)
        {
            _requests.Enqueue($"{message.Request.Method} {message.Request.Uri.Path}");
            if (Down)
            {
                throw new RequestFailedException((int)HttpStatusCode.ServiceUnavailable, "Storage is down (test).");
            }
            if (RefuseListing && message.Request.Method == RequestMethod.Get && message.Request.Uri.Path.TrimEnd('/').EndsWith("/Tables", StringComparison.Ordinal))
            {
                throw new RequestFailedException((int)HttpStatusCode.Forbidden, "Not allowed to list tables (test).");
            }
        }
    }

    /// <summary>The API's warnings and worse, as text; <see cref="Logged"/> completes at the first.</summary>
    private sealed class WarningLog : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public TaskCompletionSource Logged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Messages => [.. _messages];

        public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("Workflow.", StringComparison.Ordinal)
            ? this
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _messages.Enqueue(formatter(state, exception));
                Logged.TrySetResult();
            }
        }

        public void Dispose()
        {
        }
    }
}
