using Workflow.Domain;

namespace Workflow.Application;

/// <summary>Where a person's rows outside the workflows live: their lists and their notice box (docs/decisions/0016).</summary>
public interface IPersonalRecords
{
    /// <summary>Deletes every line of the person's lists (their partition of the index); deleting none is done.</summary>
    Task ForgetListsAsync(UserId user, CancellationToken cancellationToken);

    /// <summary>Deletes the person's notice box: notices waiting to be mailed to them, and what was claimed for them.</summary>
    Task ForgetNoticesAsync(UserId user, CancellationToken cancellationToken);
}

/// <summary>
/// A person's promise-keeping figures, private to them: what they export and what their deletion removes
/// (<see cref="FiguresAsPersonalData"/>).
/// </summary>
public interface IPersonalFigures
{
    /// <summary>The person's figures as they are to be handed to them, or null when there are none. <paramref name="email"/>
    /// names them in the teams that list them by address.</summary>
    Task<FiguresExport?> ExportAsync(UserId user, string? email, CancellationToken cancellationToken);

    /// <summary>Deletes the person's figures, and takes them out of any roll-up that named them; deleting none is done.</summary>
    Task ForgetAsync(UserId user, string? email, CancellationToken cancellationToken);
}

/// <summary>
/// The figures and team memberships as the person's own data: every figure row of theirs and the teams that name them on
/// export; on deletion their rows go, and each team that named them keeps only their address, opted out and unbound, so
/// no roll-up counts them again.
/// </summary>
public sealed class FiguresAsPersonalData(IFigureStore figures, ITeamStore teams) : IPersonalFigures
{
    /// <summary>Before any date the API accepts: all of a person's rows.</summary>
    private static readonly DateTimeOffset Always = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<FiguresExport?> ExportAsync(UserId user, string? email, CancellationToken cancellationToken) => new(
        await figures.OfAsync(user, Always, cancellationToken),
        email is null ? [] : await teams.NamingAsync(email, cancellationToken));

    public async Task ForgetAsync(UserId user, string? email, CancellationToken cancellationToken)
    {
        await figures.ForgetAsync(user, cancellationToken);
        if (email is null)
        {
            return;
        }
        foreach (var listing in await teams.NamingAsync(email, cancellationToken))
        {
            if (await teams.FindAsync(listing.Id, cancellationToken) is { } team
                && team.Members.FirstOrDefault(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase)) is { } member)
            {
                await teams.SaveMemberAsync(team, member with { User = null, OptedIn = false }, cancellationToken);
            }
        }
    }
}

public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>At most this many workflows go into one export (the newest lines of the person's lists first).</summary>
    public int MaxExportedWorkflows { get; set; } = 1000;

    /// <summary>At most this many meetings' records go into one export.</summary>
    public int MaxExportedMeetings { get; set; } = 200;
}

/// <summary>
/// A person's data in their hands (docs/decisions/0016): everything the product holds about them, exported; and, at
/// their word, forgotten — a tombstone in each workflow they shared, and their own rows gone.
/// </summary>
public sealed class PersonalData(
    IWorkflowIndex index, IWorkflowStore store, WorkflowService workflows, IPeopleRegistry people, IMeetingStore meetings,
    IRoleStore roles, RoleService roleService, IPersonalRecords records, IPersonalFigures figures, TimeProvider time,
    PrivacyOptions? options = null)
{
    /// <summary>The words a deletion must be confirmed with.</summary>
    public const string Confirmation = "delete my data";

    private readonly PrivacyOptions _options = options ?? new PrivacyOptions();

    public async Task<PersonalExport> ExportAsync(Caller caller, CancellationToken ct)
    {
        var me = caller.Id;
        var person = await people.FindAsync(me, ct);
        var (ids, truncated) = await WorkflowIdsAsync(me, _options.MaxExportedWorkflows, ct);
        var exported = new List<ExportedWorkflow>();
        foreach (var id in ids)
        {
            if (await store.LoadAsync(id, ct) is not { } state || state.RoleOf(me) is not { } role || !state.IsVisibleTo(role))
            {
                continue; // Not (or no longer) theirs: a line the index has not caught up on.
            }
            var history = await store.HistoryAsync(id, state.Version, ct);
            exported.Add(new ExportedWorkflow(state, role,
                [.. history.Where(e => state.ShowsEventTo(role, e.Version, e.Event))
                    .Select(e => new ExportedEvent(e.Version, EventNames.ApiName(e.Event), e.Event.By, e.Event.At, Forgetting.Shown(state, e.Event)))]));
        }
        var meetingRecords = new List<ExportedMeeting>();
        foreach (var key in exported.SelectMany(w => w.State.Links).Where(l => l.Kind == ItemKind.Event).Select(l => l.Key).Distinct()
                     .Take(_options.MaxExportedMeetings))
        {
            var record = await meetings.GetAsync(key, null, ct);
            // The purposes every attendee shares, and the moves made there in workflows of mine: nothing of anyone else's.
            meetingRecords.Add(new ExportedMeeting(key, record.Purposes,
                [.. record.Outcomes.Where(o => o.Customer == me || o.Performer == me)]));
        }
        var myRoles = await roles.ForUserAsync(me, ct);
        return new PersonalExport(
            time.GetUtcNow(),
            new ExportedPerson(me, person?.Email ?? caller.Email, person?.DisplayName ?? caller.DisplayName, person is not null,
                person?.Preferences ?? NotificationPreferences.Default),
            exported, truncated, meetingRecords, myRoles,
            new ExportedFigures(await figures.ExportAsync(me, person?.Email ?? caller.Email, ct), "Your promise-keeping figures, private to you."),
            [
                "Meetings you set a purpose on that no workflow of yours is linked to are not listed (finding them needs a scan of every meeting).",
                "Mail that was sent to you is in your mailbox, not here: the product keeps which notices were mailed, not the mails.",
            ]);
    }

    /// <summary>
    /// Forgets the person. Each step converges however often it runs, so a retry after a crash or a lost answer
    /// finishes the job: the workflows first (each a write through the one write path, whose projection rewrites the
    /// other party's line), then their roles, lists, notices and figures, and their registry entry last — while it is
    /// there, the person is still known, and asking again completes what was left.
    /// </summary>
    public async Task<ForgetRun> ForgetAsync(Caller caller, CancellationToken ct)
    {
        var me = caller.Id;
        var forgotten = 0;
        var failed = 0;
        var (ids, _) = await WorkflowIdsAsync(me, int.MaxValue, ct);
        foreach (var id in ids)
        {
            var outcome = await workflows.ForgetAsync(me, id, Alias(me, id), ct);
            if (outcome is Outcome.Done)
            {
                forgotten++;
            }
            else if (outcome is not Outcome.NotFound)
            {
                failed++;
            }
        }
        if (failed > 0)
        {
            // Nothing else goes while a workflow still names them: asking again picks up exactly these.
            return new ForgetRun(forgotten, failed, 0, Complete: false);
        }
        var closedRoles = 0;
        foreach (var role in await roles.ForUserAsync(me, ct))
        {
            if (role.IsHeldBy(me) && role.Accountabilities.Count > 0 && await roleService.CloseAsync(caller, role.Id, ct))
            {
                closedRoles++;
            }
        }
        await records.ForgetListsAsync(me, ct);
        await records.ForgetNoticesAsync(me, ct);
        await figures.ForgetAsync(me, caller.Email, ct);
        await people.ForgetAsync(me, ct);
        return new ForgetRun(forgotten, 0, closedRoles, Complete: true);
    }

    /// <summary>The tombstone's alias in one workflow: the same on every retry, and no way back to the person.</summary>
    private static string Alias(UserId user, string workflowId) =>
        Hashing.Sha256Hex($"former\n{workflowId}\n{user.TenantId}\n{user.ObjectId}")[..12];

    private async Task<(IReadOnlyList<string> Ids, bool Truncated)> WorkflowIdsAsync(UserId user, int max, CancellationToken ct)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await index.ListAsync(user, new ListQuery(ListView.All, null, null, cursor), ct);
            ids.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null && ids.Count < max);
        return ids.Count > max ? (ids[..max], true) : (ids, cursor is not null);
    }
}

/// <summary>Everything the product holds about one person, as handed to them.</summary>
public sealed record PersonalExport(
    DateTimeOffset ExportedAt, ExportedPerson Me, IReadOnlyList<ExportedWorkflow> Workflows, bool WorkflowsTruncated,
    IReadOnlyList<ExportedMeeting> Meetings, IReadOnlyList<Role> Roles, ExportedFigures Figures, IReadOnlyList<string> NotIncluded);

/// <summary>The person as the registry knows them (<see cref="Registered"/>: whether it does) and their preferences.</summary>
public sealed record ExportedPerson(UserId Id, string? Email, string? DisplayName, bool Registered, NotificationPreferences Preferences);

/// <summary>A workflow the person is a party of: where it stands (its links among it), their side, and its history as they see it.</summary>
public sealed record ExportedWorkflow(WorkflowState State, PartyRole YourRole, IReadOnlyList<ExportedEvent> History);

/// <summary>One event; <see cref="Details"/> is typed object so it is written with all its own fields.</summary>
public sealed record ExportedEvent(int Version, string Event, PartyRole By, DateTimeOffset At, object Details);

/// <summary>A meeting a workflow of the person's is linked to: its purposes, and the moves made in it in their workflows.</summary>
public sealed record ExportedMeeting(string Key, IReadOnlyList<MeetingPurpose> Purposes, IReadOnlyList<MeetingOutcome> Outcomes);

/// <summary>The person's figures (null when none are kept) and what they are.</summary>
public sealed record ExportedFigures(FiguresExport? Data, string Note);

/// <summary>Every figure row of the person's, and the teams that name them.</summary>
public sealed record FiguresExport(IReadOnlyList<FigureRow> Loops, IReadOnlyList<TeamListing> Teams);

/// <summary>What one deletion did. Not <see cref="Complete"/>: some workflows could not be written now; asking again finishes.</summary>
public sealed record ForgetRun(int WorkflowsForgotten, int WorkflowsLeft, int RolesClosed, bool Complete);
