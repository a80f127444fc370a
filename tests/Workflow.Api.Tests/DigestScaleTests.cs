using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Workflow.Api.Graph;
using Workflow.Application;
using Workflow.Api.Storage;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;
using Xunit.Abstractions;

namespace Workflow.Api.Tests;

/// <summary>
/// The weekly digest for a simulated tenant of 1,000 people, sent through the real Graph client to a fake Graph
/// with latency and injected 429s. It must complete, keep to 4 requests in flight on the service mailbox, retry every
/// 429, and send each person exactly one digest even when the job runs twice. Elapsed time is printed, not asserted.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class DigestScaleTests(Azurite azurite, ITestOutputHelper output)
{
    private const int People = 1000;

    [Fact]
    public async Task A_thousand_people_get_one_digest_each_within_the_mailbox_limits()
    {
        var storage = new StorageHarness(azurite);
        await storage.Tables.EnsureCreatedAsync();
        await SeedAsync(storage);

        var graph = new FakeGraph { Latency = TimeSpan.FromMilliseconds(15) };
        var recipients = new ConcurrentDictionary<string, int>();
        var throttled = 0;
        var attempts = 0;
        graph.On(r => r.Method == HttpMethod.Post, request =>
        {
            // Every 50th attempt is throttled, as Exchange does under load.
            if (Interlocked.Increment(ref attempts) % 50 == 0)
            {
                Interlocked.Increment(ref throttled);
                return new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromSeconds(1)) } };
            }
            // The body is the MIME message, base64-encoded (Graph's MIME sendMail).
            var mime = MimeKit.MimeMessage.Load(new MemoryStream(Convert.FromBase64String(request.Content!.ReadAsStringAsync().Result)));
            var to = ((MimeKit.MailboxAddress)mime.To.Single()).Address;
            recipients.AddOrUpdate(to, 1, (_, n) => n + 1);
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        });
        var job = new WeeklyDigestJob(storage.Registry, new PersonalReview(storage.Index, new NoMailbox(), storage.Meetings), new TableDigestLedger(storage.Tables),
            new GraphMailSender(graph.Client(), "workflow@contoso.com", TimeProvider.System), new DigestOptions { Parallelism = 16 },
            TimeProvider.System, NullLogger<WeeklyDigestJob>.Instance);

        var clock = Stopwatch.StartNew();
        var first = await job.RunAsync(default);
        var elapsed = clock.Elapsed;
        var second = await job.RunAsync(default);

        output.WriteLine($"1,000 digests in {elapsed.TotalSeconds:F1} s; {graph.Requests.Count} Graph requests ({throttled} throttled and retried); " +
                         $"max in flight on the service mailbox: {graph.MaxInFlight["workflow@contoso.com"]}; second run: {second}.");
        Assert.Equal(new DigestRun(People, 0, 0, 0), first);
        Assert.Equal(new DigestRun(0, 0, People, 0), second);
        Assert.Equal(People, recipients.Count);
        Assert.All(recipients.Values, n => Assert.Equal(1, n));
        Assert.True(throttled > 0);
        Assert.Equal(People + throttled, graph.Requests.Count);
        Assert.InRange(graph.MaxInFlight["workflow@contoso.com"], 1, GraphPipeline.MaxConcurrentPerMailbox);
    }

    /// <summary>Each person is the performer of one request waiting for their answer: one list row and one registry row.</summary>
    private static async Task SeedAsync(StorageHarness storage)
    {
        var customer = new Party("boss@contoso.test", "The Boss", new UserId(StorageHarness.Alice.TenantId, Guid.NewGuid().ToString()));
        var now = DateTimeOffset.UtcNow;
        var registry = new List<TableTransactionAction>();
        await Parallel.ForEachAsync(Enumerable.Range(0, People), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var person = new Party($"person{i}@contoso.test", $"Person {i}", new UserId(StorageHarness.Alice.TenantId, Guid.NewGuid().ToString()));
            var opened = WorkflowDecider.Open(new OpenWorkflow(Guid.NewGuid().ToString("N"), $"Task {i}", customer, person, PartyRole.Customer, "Do it", now.AddDays(5)), now);
            var state = WorkflowDecider.Evolve(null, opened.Events[0]);
            state = WorkflowDecider.Decide(state, new MakeMove(Move.Request, MoveDetails.None), PartyRole.Customer, now).Events.Aggregate(state, WorkflowDecider.Evolve);
            await storage.Tables.Lists.AddEntityAsync(IndexEntities.ListRow(state, PartyRole.Performer), ct);
            await storage.Registry.RememberAsync(person.User!, person.Email, person.DisplayName, ct);
        });
    }
}
