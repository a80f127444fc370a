using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Workflow.Application;
using Workflow.Api.Storage;
using Workflow.Domain;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>The storage adapters and the application wired by hand against Azurite, on tables of their own.</summary>
public sealed class StorageHarness
{
    public static readonly UserId Alice = new("11111111-1111-1111-1111-111111111111", "aaaaaaaa-0000-0000-0000-000000000001");
    public static readonly UserId Bob = new("11111111-1111-1111-1111-111111111111", "bbbbbbbb-0000-0000-0000-000000000002");

    public StorageHarness(Azurite azurite, params HttpPipelinePolicy[] policies) : this(azurite, holding: false, policies)
    {
    }

    /// <summary>
    /// With <paramref name="holding"/>, immediate notices wait out a one-minute window and the commits that tell someone
    /// are leased, so their mails are held in memory (docs/decisions/0017); without, notices are due at once and go
    /// through the box.
    /// </summary>
    public StorageHarness(Azurite azurite, bool holding, params HttpPipelinePolicy[] policies)
    {
        NotificationOptions = new()
        {
            CoalesceWindow = holding ? TimeSpan.FromMinutes(1) : TimeSpan.Zero, PollInterval = TimeSpan.Zero,
        };
        FollowUps = new PendingFollowUps(NotificationOptions);
        Held = new HeldMails(NotificationOptions);
        Tables = new TableStorage(
            new TableStorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = TablePrefix },
            policies);
        Store = new TableWorkflowStore(Tables);
        Index = new TableWorkflowIndex(Tables);
        Directory.FindByEmailAsync(Alice.TenantId, "bob@contoso.test", Arg.Any<CancellationToken>())
            .Returns(new DirectoryUser(Bob, "bob@contoso.test", "Bob Baker"));
        Workflows = new WorkflowService(Store, FollowUps, Directory, new TableOpenLedger(Tables), Time);
        Registry = new TablePeopleRegistry(Tables, Time);
        Projector = new IndexProjector(Tables, Registry);
        Notices = new TableNoticeBox(Tables);
        GuestLinks = new TableGuestLinks(Tables);
        Notifier = new Notifier(Store, Registry, Notices, NotificationOptions, Held, Mail);
        Meetings = new TableMeetings(Tables);
        Outcomes = new OutcomeRecorder(Meetings, Store, Notices, Registry, NotificationOptions);
        Figures = new TableFigures(Tables, Store);
        Dispatcher = new FollowUpDispatcher(Store, Projector, Workflows, Notifier, Outcomes, Figures, NullLogger<FollowUpDispatcher>.Instance, Time);
    }

    public TableFigures Figures { get; }

    /// <summary>No passes of their own: a test mails when it chooses.</summary>
    public NotificationOptions NotificationOptions { get; }

    /// <summary>The mails this instance holds; a test that throws them away plays an instance that died.</summary>
    public HeldMails Held { get; }

    /// <summary>What this instance's mailers send unless a test gives one another sender; the sweep asks it what went.</summary>
    public RecordingMailSender Mail { get; } = new();
    public TableNoticeBox Notices { get; }
    public TableMeetings Meetings { get; }
    public OutcomeRecorder Outcomes { get; }
    public TableGuestLinks GuestLinks { get; }
    public Notifier Notifier { get; }

    /// <summary>
    /// A mailer of its own over this harness's tables: each call is another sender of the boxes; the mails held are this
    /// instance's (<see cref="Held"/>), crossed off through <paramref name="outbox"/> (the store unless a test says otherwise).
    /// </summary>
    public NotificationMailer Mailer(IMailSender? mail = null, ITeamsNotifier? teams = null, IOutbox? outbox = null) => new(
        Notices, Store, Registry, mail ?? Mail, teams ?? new NoTeams(), GuestLinks, Meetings, NotificationOptions,
        new DigestOptions { AppBaseUrl = new Uri("https://workflow.test/app/") }, Time, NullLogger<NotificationMailer>.Instance,
        Held, outbox ?? Store);

    public string TablePrefix { get; } = "s" + Guid.NewGuid().ToString("N")[..12];
    public TableStorage Tables { get; }
    public TableWorkflowStore Store { get; }
    public TableWorkflowIndex Index { get; }
    /// <summary>What the commits queued; nothing dispatches it here, so a test runs follow-ups when it chooses.</summary>
    public PendingFollowUps FollowUps { get; }
    public IDirectory Directory { get; } = Substitute.For<IDirectory>();
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    public WorkflowService Workflows { get; }
    public IndexProjector Projector { get; }
    public FollowUpDispatcher Dispatcher { get; }
    public TablePeopleRegistry Registry { get; }

    /// <summary>The commits made since the last call, oldest first: what the worker would dispatch, taken off its queue.</summary>
    public List<Commit> TakeCommits()
    {
        var taken = new List<Commit>();
        while (FollowUps.Reader.TryRead(out var job))
        {
            taken.Add(job.Commit);
            FollowUps.Complete(job);
        }
        return taken;
    }

    /// <summary>Dispatches the commits made since the last call, oldest first, as the worker would; returns them.</summary>
    public async Task<List<Commit>> DispatchCommitsAsync()
    {
        var commits = TakeCommits();
        foreach (var commit in commits)
        {
            await Dispatcher.DispatchCommitAsync(commit, default);
        }
        return commits;
    }

    /// <summary>A counted request as the table it went to: "GET notices", "PUT people"; "POST $batch" for a transaction.</summary>
    public string TableRequest(string request)
    {
        var (method, resource) = (request.Split(' ')[0], request.Split(' ')[1].Split('(')[0].Split('/')[^1]);
        return $"{method} {resource.Replace(TablePrefix, "", StringComparison.Ordinal)}";
    }

    /// <summary>The follow-ups waiting in a workflow's outbox.</summary>
    public async Task<string[]> PendingFollowUpsAsync(string workflowId) =>
        [.. (await Store.PendingAsync(workflowId, default)).Select(p => p.FollowUp.Name)];

    public static Caller AsAlice => new(Alice, "alice@contoso.test", "Alice Archer");
    public static Caller AsBob => new(Bob, "bob@contoso.test", "Bob Baker");

    /// <summary>
    /// Alice opens a workflow for Bob, optionally from a mail thread; returns the workflow as opened. In draft unless
    /// <paramref name="start"/> says otherwise — and a draft is Alice's alone, so Bob sees it only once she asks.
    /// </summary>
    public async Task<WorkflowState> OpenAsync(string? threadKey = null, Start start = Start.Draft)
    {
        var outcome = await Workflows.OpenAsync(AsAlice,
            new OpenRequest("Review the budget", "me", "bob@contoso.test", "Comments on every line", Time.GetUtcNow().AddDays(7),
                threadKey is null ? null : new SourceItem(threadKey, ItemKind.Message, "Budget"), start),
            null, "hash", default);
        return Assert.IsType<Outcome.Done>(outcome).State;
    }

    public async Task<WorkflowState> MoveAsync(Caller caller, WorkflowState state, Move move, MoveDetails? details = null)
    {
        var outcome = await Workflows.MoveAsync(caller, state.Id, state.Version,
            new MakeMove(move, details ?? MoveDetails.None), null, Guid.NewGuid().ToString(), default);
        return Assert.IsType<Outcome.Done>(outcome).State;
    }
}
