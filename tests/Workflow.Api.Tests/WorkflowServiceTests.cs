using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>The use cases with substituted ports: how races, lost responses, retries and pending parties are told apart.</summary>
public sealed class WorkflowServiceTests
{
    private static readonly UserId Alice = new("11111111-1111-1111-1111-111111111111", "aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly UserId Bob = new("11111111-1111-1111-1111-111111111111", "bbbbbbbb-0000-0000-0000-000000000002");
    private static readonly Caller AsAlice = new(Alice, "alice@contoso.test", "Alice");
    private static readonly Caller AsBob = new(Bob, "bob@contoso.test", "Bob");

    private readonly IWorkflowStore _store = Substitute.For<IWorkflowStore>();
    private readonly IFollowUps _followUps = Substitute.For<IFollowUps>();
    private readonly IDirectory _directory = Substitute.For<IDirectory>();
    private readonly IOpenLedger _opens = Substitute.For<IOpenLedger>();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly WorkflowService _service;

    public WorkflowServiceTests()
    {
        // The daily limit on opens has tests of its own against the real ledger (OpenLimitTests); here it admits all.
        _opens.TryCountAsync(default!, default!, default, default, default).ReturnsForAnyArgs(true);
        _service = new WorkflowService(_store, _followUps, _directory, _opens, _time);
    }

    private WorkflowState Opened(Party performer) => WorkflowDecider.Evolve(null, OpenedEvent(performer));

    private WorkflowOpened OpenedEvent(Party performer) =>
        (WorkflowOpened)WorkflowDecider.Open(new OpenWorkflow("0123456789abcdef0123456789abcdef", "Budget",
            new Party("alice@contoso.test", "Alice", Alice), performer, PartyRole.Customer, "Comments", _time.GetUtcNow().AddDays(3)),
            _time.GetUtcNow()).Events[0];

    [Fact]
    public async Task A_commit_that_meets_its_own_event_on_the_SDKs_retry_is_a_success_not_a_conflict()
    {
        var state = Opened(new Party("bob@contoso.test", "Bob", Bob));
        _store.LoadAsync(state.Id, Arg.Any<CancellationToken>()).Returns(state);
        string? ourCommit = null;
        _store.AppendAsync(1, Arg.Any<Commit>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                ourCommit = call.Arg<Commit>().Events[0].CommitId;
                return CommitOutcome.VersionTaken;
            });
        _store.EventAsync(state.Id, 2, Arg.Any<CancellationToken>())
            .Returns(_ => new StoredEvent(2, new NoteAdded("x") { By = PartyRole.Customer }, Alice, null, ourCommit));

        var outcome = await _service.MoveAsync(AsAlice, state.Id, 1, new MakeMove(Move.Request, MoveDetails.None), null, "h", default);

        Assert.Equal(WorkflowStatus.Requested, Assert.IsType<Outcome.Done>(outcome).State.Status);
        _followUps.Received(1).Committed(Arg.Any<Commit>());
    }

    [Fact]
    public async Task A_retry_after_the_original_landed_gets_the_original_result()
    {
        var opened = OpenedEvent(new Party("bob@contoso.test", "Bob", Bob));
        var requested = new Requested(new Terms(1, "Comments", _time.GetUtcNow().AddDays(3), PartyRole.Customer, _time.GetUtcNow()), _time.GetUtcNow().AddDays(2))
        { By = PartyRole.Customer, At = _time.GetUtcNow() };
        var noted = new NoteAdded("later") { By = PartyRole.Performer, At = _time.GetUtcNow() };
        var now = WorkflowDecider.Replay([opened, requested, noted]);
        var scope = new IdempotencyScope(Alice, "k1");
        _store.LoadAsync(now.Id, Arg.Any<CancellationToken>()).Returns(now);
        _store.FindIdempotencyAsync(now.Id, scope, Arg.Any<CancellationToken>()).Returns(new IdempotencyRecord(scope.StorageKey, "h", 2));
        _store.HistoryAsync(now.Id, 2, Arg.Any<CancellationToken>())
            .Returns([new StoredEvent(1, opened, Alice, null), new StoredEvent(2, requested, Alice, "k1")]);

        var outcome = await _service.MoveAsync(AsAlice, now.Id, 1, new MakeMove(Move.Request, MoveDetails.None), "k1", "h", default);

        var done = Assert.IsType<Outcome.Done>(outcome);
        Assert.True(done.Replayed);
        Assert.Equal((2, WorkflowStatus.Requested), (done.State.Version, done.State.Status));
        await _store.DidNotReceiveWithAnyArgs().AppendAsync(default, default!, default);
    }

    [Fact]
    public async Task A_key_reused_for_a_different_request_is_reported_as_such()
    {
        var state = WorkflowDecider.Evolve(Opened(new Party("bob@contoso.test", "Bob", Bob)), new NoteAdded("x") { By = PartyRole.Customer });
        var scope = new IdempotencyScope(Alice, "k1");
        _store.LoadAsync(state.Id, Arg.Any<CancellationToken>()).Returns(state);
        _store.FindIdempotencyAsync(state.Id, scope, Arg.Any<CancellationToken>()).Returns(new IdempotencyRecord(scope.StorageKey, "other", 2));

        var outcome = await _service.MoveAsync(AsAlice, state.Id, 1, new MakeMove(Move.Request, MoveDetails.None), "k1", "h", default);

        Assert.IsType<Outcome.KeyReused>(outcome);
    }

    [Fact]
    public async Task Losing_a_race_to_another_writer_is_a_stale_version()
    {
        var state = Opened(new Party("bob@contoso.test", "Bob", Bob));
        var moved = WorkflowDecider.Evolve(state, new NoteAdded("meanwhile") { By = PartyRole.Performer, At = _time.GetUtcNow() });
        _store.LoadAsync(state.Id, Arg.Any<CancellationToken>()).Returns(state, moved);
        _store.AppendAsync(1, Arg.Any<Commit>(), Arg.Any<CancellationToken>())
            .Returns(CommitOutcome.VersionTaken);
        _store.EventAsync(state.Id, 2, Arg.Any<CancellationToken>())
            .Returns(new StoredEvent(2, new NoteAdded("meanwhile") { By = PartyRole.Performer }, Bob, null, "someone-elses-commit"));

        var outcome = await _service.MoveAsync(AsAlice, state.Id, 1, new MakeMove(Move.Request, MoveDetails.None), null, "h", default);

        Assert.Equal(2, Assert.IsType<Outcome.Stale>(outcome).Current.Version);
        _followUps.DidNotReceive().Committed(Arg.Any<Commit>());
    }

    [Fact]
    public async Task Retrying_an_open_answers_the_first_attempt_even_after_its_due_date_has_passed()
    {
        var scope = new IdempotencyScope(Alice, "open-1");
        var opened = OpenedEvent(new Party("bob@contoso.test", "Bob", Bob));
        _store.FindIdempotencyAsync(Arg.Any<string>(), scope, Arg.Any<CancellationToken>()).Returns(new IdempotencyRecord(scope.StorageKey, "h", 1));
        _store.HistoryAsync(Arg.Any<string>(), 1, Arg.Any<CancellationToken>()).Returns([new StoredEvent(1, opened, Alice, "open-1")]);
        _time.Advance(TimeSpan.FromDays(30));

        var outcome = await _service.OpenAsync(AsAlice,
            new OpenRequest("Budget", "me", "bob@contoso.test", "Comments", opened.Terms!.DueBy, null), "open-1", "h", default);

        var done = Assert.IsType<Outcome.Done>(outcome);
        Assert.True(done.Created && done.Replayed);
        await _store.DidNotReceiveWithAnyArgs().CreateAsync(default!, default);
    }

    [Fact]
    public async Task Retrying_an_open_at_the_days_limit_answers_the_first_attempt_not_the_limit()
    {
        var scope = new IdempotencyScope(Alice, "open-1");
        var opened = OpenedEvent(new Party("bob@contoso.test", "Bob", Bob));
        _opens.TryCountAsync(default!, default!, default, default, default).ReturnsForAnyArgs(false);
        _store.FindIdempotencyAsync(Arg.Any<string>(), scope, Arg.Any<CancellationToken>()).Returns(new IdempotencyRecord(scope.StorageKey, "h", 1));
        _store.HistoryAsync(Arg.Any<string>(), 1, Arg.Any<CancellationToken>()).Returns([new StoredEvent(1, opened, Alice, "open-1")]);

        var retried = await _service.OpenAsync(AsAlice,
            new OpenRequest("Budget", "me", "bob@contoso.test", "Comments", opened.Terms!.DueBy, null), "open-1", "h", default);
        var fresh = await _service.OpenAsync(AsAlice,
            new OpenRequest("Budget", "me", "bob@contoso.test", "Comments", opened.Terms!.DueBy, null), "open-2", "h", default);

        var done = Assert.IsType<Outcome.Done>(retried);
        Assert.True(done.Created && done.Replayed);
        Assert.IsType<Outcome.Limited>(fresh);
        await _store.DidNotReceiveWithAnyArgs().CreateAsync(default!, default);
    }

    [Fact]
    public async Task Opening_with_a_key_looks_the_key_up_only_when_the_commit_fails()
    {
        _directory.FindByEmailAsync(Alice.TenantId, "bob@contoso.test", Arg.Any<CancellationToken>()).Returns(new DirectoryUser(Bob, "bob@contoso.test", "Bob"));
        _store.CreateAsync(Arg.Any<Commit>(), Arg.Any<CancellationToken>()).Returns(CommitOutcome.Committed);

        var outcome = await _service.OpenAsync(AsAlice,
            new OpenRequest("Budget", "me", "bob@contoso.test", "Comments", _time.GetUtcNow().AddDays(3), null), "open-1", "h", default);

        Assert.True(Assert.IsType<Outcome.Done>(outcome).Created);
        await _store.DidNotReceiveWithAnyArgs().FindIdempotencyAsync(default!, default!, default);
    }

    [Fact]
    public async Task A_pending_party_is_bound_through_the_openers_directory()
    {
        var state = Opened(new Party("bob@contoso.test", null, null));
        _store.LoadAsync(state.Id, Arg.Any<CancellationToken>()).Returns(state);
        _directory.FindByEmailAsync(Alice.TenantId, "bob@contoso.test", Arg.Any<CancellationToken>())
            .Returns(new DirectoryUser(Bob, "bob@contoso.test", "Bob Baker"));
        _store.AppendAsync(1, Arg.Any<Commit>(), Arg.Any<CancellationToken>())
            .Returns(CommitOutcome.Committed);

        var outcome = await _service.GetAsync(AsAlice, state.Id, default);

        var done = Assert.IsType<Outcome.Done>(outcome);
        Assert.Equal((Bob, "Bob Baker"), (done.State.Performer.User, done.State.Performer.DisplayName));
        await _store.Received(1).AppendAsync(1,
            Arg.Is<Commit>(c => c.Events.Count == 1 && c.Events[0].Event is PartyBound && c.Idempotency == null), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task The_directory_is_not_asked_again_at_every_view_while_a_party_stays_unknown()
    {
        var state = Opened(new Party("bob@contoso.test", null, null));
        _store.LoadAsync(state.Id, Arg.Any<CancellationToken>()).Returns(state);

        await _service.GetAsync(AsAlice, state.Id, default);
        await _service.GetAsync(AsAlice, state.Id, default);
        _time.Advance(TimeSpan.FromMinutes(10));
        await _service.GetAsync(AsAlice, state.Id, default);

        await _directory.Received(2).FindByEmailAsync(Alice.TenantId, "bob@contoso.test", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_bound_party_shows_the_address_the_directory_found_and_the_one_that_was_typed()
    {
        var state = Opened(new Party("bob@contoso.com", null, null));
        _store.LoadAsync(state.Id, Arg.Any<CancellationToken>()).Returns(state);
        _directory.FindByEmailAsync(Alice.TenantId, "bob@contoso.com", Arg.Any<CancellationToken>())
            .Returns(new DirectoryUser(Bob, "robert.baker@contoso.com", "Robert Baker"));
        _store.AppendAsync(1, Arg.Any<Commit>(), Arg.Any<CancellationToken>())
            .Returns(CommitOutcome.Committed);

        var done = Assert.IsType<Outcome.Done>(await _service.GetAsync(AsAlice, state.Id, default));

        Assert.Equal(new Party("robert.baker@contoso.com", "Robert Baker", Bob, InvitedAs: "bob@contoso.com"), done.State.Performer);
        await _store.Received(1).AppendAsync(1, Arg.Is<Commit>(c =>
            Equals(c.Events[0].Event as PartyBound, new PartyBound(PartyRole.Performer, Bob, "Robert Baker", "robert.baker@contoso.com") { By = PartyRole.Customer, At = c.Events[0].Event.At })),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Opening_for_an_alias_names_the_person_found_and_keeps_the_alias_typed()
    {
        _directory.FindByEmailAsync(Alice.TenantId, "Bob@Contoso.com", Arg.Any<CancellationToken>())
            .Returns(new DirectoryUser(Bob, "robert.baker@contoso.com", "Robert Baker"));
        _store.CreateAsync(Arg.Any<Commit>(), Arg.Any<CancellationToken>())
            .Returns(CommitOutcome.Committed);

        var done = Assert.IsType<Outcome.Done>(await _service.OpenAsync(AsAlice,
            new OpenRequest("Budget", "me", "Bob@Contoso.com", null, null, null), null, "h", default));

        Assert.Equal(("robert.baker@contoso.com", "Bob@Contoso.com", Bob), (done.State.Performer.Email, done.State.Performer.InvitedAs, done.State.Performer.User));
    }

    [Fact]
    public async Task A_guest_account_is_not_bound_by_address_unless_guests_are_allowed()
    {
        var gus = new UserId(Alice.TenantId, "99999999-0000-0000-0000-000000000009");
        _directory.FindByEmailAsync(Alice.TenantId, "gus@partner.test", Arg.Any<CancellationToken>())
            .Returns(new DirectoryUser(gus, "gus@partner.test", "Gus Guest", IsGuest: true));
        _store.CreateAsync(Arg.Any<Commit>(), Arg.Any<CancellationToken>())
            .Returns(CommitOutcome.Committed);
        var request = new OpenRequest("Board pack", "me", "gus@partner.test", null, null, null);

        var membersOnly = Assert.IsType<Outcome.Done>(await _service.OpenAsync(AsAlice, request, null, "h", default));
        using var allowing = new WorkflowService(_store, _followUps, _directory, _opens, _time,
            new DirectoryOptions { AllowGuests = true });
        var guestsAllowed = Assert.IsType<Outcome.Done>(await allowing.OpenAsync(AsAlice, request, null, "h", default));

        Assert.True(membersOnly.State.Performer.IsPending);
        Assert.Equal(gus, guestsAllowed.State.Performer.User);
    }

    [Fact]
    public async Task The_remembered_directory_misses_never_exceed_their_bound()
    {
        using var service = new WorkflowService(_store, _followUps, _directory, _opens, _time,
            new DirectoryOptions { MissesRemembered = 10 });
        _store.CreateAsync(Arg.Any<Commit>(), Arg.Any<CancellationToken>())
            .Returns(CommitOutcome.Committed);

        for (var i = 0; i < 100; i++)
        {
            await service.OpenAsync(AsAlice, new OpenRequest("Spray", "me", $"nobody{i}@elsewhere.test", null, null, null), null, "h", default);
            Assert.InRange(service.DirectoryMissesRemembered, 1, 10);
        }
        await _directory.Received(100).FindByEmailAsync(Alice.TenantId, Arg.Any<string>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_token_claiming_a_pending_partys_email_does_not_make_its_holder_that_party()
    {
        var state = Opened(new Party("bob@contoso.test", null, null));
        _store.LoadAsync(state.Id, Arg.Any<CancellationToken>()).Returns(state);
        var impostor = new Caller(new UserId(Alice.TenantId, "eeeeeeee-0000-0000-0000-000000000005"), "bob@contoso.test", "Bob?");

        Assert.IsType<Outcome.NotFound>(await _service.GetAsync(impostor, state.Id, default));
        await _store.DidNotReceiveWithAnyArgs().AppendAsync(default, default!, default);
    }

    [Fact]
    public async Task Opening_a_workflow_the_caller_is_not_part_of_is_invalid_and_stores_nothing()
    {
        var outcome = await _service.OpenAsync(AsAlice, new OpenRequest("Not mine", "carol@contoso.test", "dave@contoso.test", null, null, null), null, "h", default);
        Assert.IsType<Outcome.Invalid>(outcome);
        await _store.DidNotReceiveWithAnyArgs().CreateAsync(default!, default);
    }

    [Fact]
    public async Task Each_committed_change_is_queued_for_indexing()
    {
        _directory.FindByEmailAsync(Alice.TenantId, "bob@contoso.test", Arg.Any<CancellationToken>())
            .Returns(new DirectoryUser(Bob, "bob@contoso.test", "Bob"));
        _store.CreateAsync(Arg.Any<Commit>(), Arg.Any<CancellationToken>())
            .Returns(CommitOutcome.Committed);

        var outcome = await _service.OpenAsync(AsBob, new OpenRequest("Slides", "alice@contoso.test", "me", null, null, null), null, "h", default);

        Assert.IsType<Outcome.Done>(outcome);
        _followUps.Received(1).Committed(Arg.Is<Commit>(c => c.State.OpenedBy == PartyRole.Performer && c.State.Customer.User == null));
    }

    public enum WriteKind { Open, Move, Repeat, Link, Unlink, Bind }

    /// <summary>
    /// The one write path: whichever write it is, a commit whose answer was lost (the SDK's retry met the event it had
    /// just written) is recognised by its commit id and counted a success, with its follow-ups queued once.
    /// </summary>
    [Theory]
    [InlineData(WriteKind.Open)]
    [InlineData(WriteKind.Move)]
    [InlineData(WriteKind.Repeat)]
    [InlineData(WriteKind.Link)]
    [InlineData(WriteKind.Unlink)]
    [InlineData(WriteKind.Bind)]
    public async Task Every_write_recognises_its_own_commit_after_a_lost_answer(WriteKind kind)
    {
        var opened = WorkflowDecider.Evolve(Opened(new Party("bob@contoso.test", kind == WriteKind.Bind ? null : "Bob", kind == WriteKind.Bind ? null : Bob)),
            new ItemLinked(new ItemLink("thread:a", ItemKind.Message, null, PartyRole.Customer, _time.GetUtcNow())) { By = PartyRole.Customer });
        var state = kind == WriteKind.Repeat
            ? WorkflowDecider.Evolve(opened, new Withdrawn(null) { By = PartyRole.Customer, At = _time.GetUtcNow() })
            : opened;
        _store.LoadAsync(state.Id, Arg.Any<CancellationToken>()).Returns(state);
        _directory.FindByEmailAsync(Alice.TenantId, "bob@contoso.test", Arg.Any<CancellationToken>())
            .Returns(kind is WriteKind.Bind or WriteKind.Open ? new DirectoryUser(Bob, "bob@contoso.test", "Bob") : null);
        Commit? ours = null;
        _store.AppendAsync(Arg.Any<int>(), Arg.Any<Commit>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            ours = call.Arg<Commit>();
            return CommitOutcome.VersionTaken;
        });
        _store.CreateAsync(Arg.Any<Commit>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            ours = call.Arg<Commit>();
            return CommitOutcome.VersionTaken;
        });
        _store.EventAsync(Arg.Any<string>(), Arg.Any<int>(), Arg.Any<CancellationToken>())
            .Returns(call => ours?.Events.FirstOrDefault(e => e.Version == call.ArgAt<int>(1)));

        var outcome = kind switch
        {
            WriteKind.Open => await _service.OpenAsync(AsAlice, new OpenRequest("Budget", "me", "bob@contoso.test", null, null, null), null, "h", default),
            WriteKind.Move => await _service.MoveAsync(AsAlice, state.Id, state.Version, new MakeMove(Move.Request, MoveDetails.None), null, "h", default),
            WriteKind.Repeat => await _service.MoveAsync(AsAlice, state.Id, state.Version, new MakeMove(Move.Repeat, MoveDetails.None), null, "h", default),
            WriteKind.Link => await _service.LinkAsync(AsAlice, state.Id, new LinkItem("thread:b", ItemKind.Message, null), default),
            WriteKind.Unlink => await _service.UnlinkAsync(AsAlice, state.Id, "thread:a", default),
            _ => await _service.GetAsync(AsAlice, state.Id, default),
        };

        var done = Assert.IsType<Outcome.Done>(outcome);
        Assert.NotNull(ours);
        Assert.Equal(ours.State, done.State);
        Assert.Contains(ours.FollowUps.OfType<ProjectIndex>(), p => p.Version == ours.State.Version && p.From == ours.Events[0].Version);
        Assert.Equal(kind == WriteKind.Repeat, ours.FollowUps.Any(f => f is StartCycle));
        _followUps.Received(1).Committed(ours);
    }
}
