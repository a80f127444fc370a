using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Workflow.Api.Application;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>The use cases with substituted ports: how races, lost responses and pending parties are told apart.</summary>
public sealed class WorkflowServiceTests
{
    private static readonly UserId Alice = new("11111111-1111-1111-1111-111111111111", "aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly UserId Bob = new("11111111-1111-1111-1111-111111111111", "bbbbbbbb-0000-0000-0000-000000000002");
    private static readonly Caller AsAlice = new(Alice, "alice@contoso.test", "Alice");
    private static readonly Caller AsBob = new(Bob, "bob@contoso.test", "Bob");

    private readonly IWorkflowStore _store = Substitute.For<IWorkflowStore>();
    private readonly IIndexUpdates _index = Substitute.For<IIndexUpdates>();
    private readonly IDirectory _directory = Substitute.For<IDirectory>();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly WorkflowService _service;

    public WorkflowServiceTests() => _service = new WorkflowService(_store, _index, _directory, _time);

    private WorkflowState Opened(Party performer)
    {
        var opened = WorkflowDecider.Open(new OpenWorkflow("0123456789abcdef0123456789abcdef", "Budget",
            new Party("alice@contoso.test", "Alice", Alice), performer, PartyRole.Customer, "Comments", _time.GetUtcNow().AddDays(3)), _time.GetUtcNow());
        return WorkflowDecider.Evolve(null, opened.Events[0]);
    }

    [Fact]
    public async Task A_move_whose_response_was_lost_is_answered_from_the_original_result_not_as_a_conflict()
    {
        var state = Opened(new Party("bob@contoso.test", "Bob", Bob));
        var scope = new IdempotencyScope(Alice, "k1");
        _store.LoadAsync(state.Id, scope, Arg.Any<CancellationToken>())
            .Returns(new LoadedWorkflow(state, null), new LoadedWorkflow(state, new IdempotencyRecord(scope.StorageKey, "h", 2)));
        _store.AppendAsync(1, Arg.Any<WorkflowState>(), Arg.Any<IReadOnlyList<StoredEvent>>(), Arg.Any<IdempotencyRecord?>(), Arg.Any<CancellationToken>())
            .Returns(CommitOutcome.VersionTaken);
        var requested = new Requested(new Terms(1, "Comments", _time.GetUtcNow().AddDays(3), PartyRole.Customer, _time.GetUtcNow()), _time.GetUtcNow().AddDays(2))
        { By = PartyRole.Customer, At = _time.GetUtcNow() };
        _store.HistoryAsync(state.Id, 2, Arg.Any<CancellationToken>()).Returns(
        [
            new StoredEvent(1, new WorkflowOpened(state.Id, state.Concern, state.Customer, state.Performer, state.Proposed, null) { By = PartyRole.Customer, At = state.OpenedAt }, Alice, null),
            new StoredEvent(2, requested, Alice, "k1"),
        ]);

        var outcome = await _service.MoveAsync(AsAlice, state.Id, new ExpectedVersion(1), new MakeMove(Move.Request, MoveDetails.None), "k1", "h", default);

        var done = Assert.IsType<Outcome.Done>(outcome);
        Assert.True(done.Replayed);
        Assert.Equal((2, WorkflowStatus.Requested), (done.State.Version, done.State.Status));
        _index.DidNotReceive().Enqueue(Arg.Any<WorkflowState>());
    }

    [Fact]
    public async Task Losing_a_race_to_another_writer_is_a_stale_version()
    {
        var state = Opened(new Party("bob@contoso.test", "Bob", Bob));
        var moved = WorkflowDecider.Evolve(state, new NoteAdded("meanwhile") { By = PartyRole.Performer, At = _time.GetUtcNow() });
        _store.LoadAsync(state.Id, null, Arg.Any<CancellationToken>()).Returns(new LoadedWorkflow(state, null), new LoadedWorkflow(moved, null));
        _store.AppendAsync(1, Arg.Any<WorkflowState>(), Arg.Any<IReadOnlyList<StoredEvent>>(), null, Arg.Any<CancellationToken>())
            .Returns(CommitOutcome.VersionTaken);

        var outcome = await _service.MoveAsync(AsAlice, state.Id, new ExpectedVersion(1), new MakeMove(Move.Request, MoveDetails.None), null, "h", default);

        Assert.Equal(2, Assert.IsType<Outcome.Stale>(outcome).Current.Version);
    }

    [Fact]
    public async Task A_pending_party_is_bound_through_the_openers_directory()
    {
        var state = Opened(new Party("bob@contoso.test", null, null));
        _store.LoadAsync(state.Id, null, Arg.Any<CancellationToken>()).Returns(new LoadedWorkflow(state, null));
        _directory.FindByEmailAsync(Alice.TenantId, "bob@contoso.test", Arg.Any<CancellationToken>())
            .Returns(new DirectoryUser(Bob, "bob@contoso.test", "Bob Baker"));
        _store.AppendAsync(1, Arg.Any<WorkflowState>(), Arg.Any<IReadOnlyList<StoredEvent>>(), null, Arg.Any<CancellationToken>())
            .Returns(CommitOutcome.Committed);

        var outcome = await _service.GetAsync(AsAlice, state.Id, default);

        var done = Assert.IsType<Outcome.Done>(outcome);
        Assert.Equal((Bob, "Bob Baker"), (done.State.Performer.User, done.State.Performer.DisplayName));
        await _store.Received(1).AppendAsync(1, Arg.Any<WorkflowState>(),
            Arg.Is<IReadOnlyList<StoredEvent>>(e => e.Count == 1 && e[0].Event is PartyBound), null, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_token_claiming_a_pending_partys_email_does_not_make_its_holder_that_party()
    {
        var state = Opened(new Party("bob@contoso.test", null, null));
        _store.LoadAsync(state.Id, null, Arg.Any<CancellationToken>()).Returns(new LoadedWorkflow(state, null));
        var impostor = new Caller(new UserId(Alice.TenantId, "eeeeeeee-0000-0000-0000-000000000005"), "bob@contoso.test", "Bob?");

        Assert.IsType<Outcome.NotFound>(await _service.GetAsync(impostor, state.Id, default));
        await _store.DidNotReceiveWithAnyArgs().AppendAsync(default, default!, default!, default, default);
    }

    [Fact]
    public async Task Opening_a_workflow_the_caller_is_not_part_of_is_invalid_and_stores_nothing()
    {
        _directory.FindByEmailAsync(Alice.TenantId, Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns((DirectoryUser?)null);
        var outcome = await _service.OpenAsync(AsAlice, new OpenRequest("Not mine", "carol@contoso.test", "dave@contoso.test", null, null, null), null, "h", default);
        Assert.IsType<Outcome.Invalid>(outcome);
        await _store.DidNotReceiveWithAnyArgs().CreateAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task Each_committed_change_is_queued_for_indexing()
    {
        _directory.FindByEmailAsync(Alice.TenantId, "bob@contoso.test", Arg.Any<CancellationToken>())
            .Returns(new DirectoryUser(Bob, "bob@contoso.test", "Bob"));
        _store.CreateAsync(Arg.Any<WorkflowState>(), Arg.Any<IReadOnlyList<StoredEvent>>(), null, Arg.Any<CancellationToken>())
            .Returns(CommitOutcome.Committed);

        var outcome = await _service.OpenAsync(AsBob, new OpenRequest("Slides", "alice@contoso.test", "me", null, null, null), null, "h", default);

        Assert.IsType<Outcome.Done>(outcome);
        _index.Received(1).Enqueue(Arg.Is<WorkflowState>(s => s.OpenedBy == PartyRole.Performer && s.Customer.User == null));
    }
}
