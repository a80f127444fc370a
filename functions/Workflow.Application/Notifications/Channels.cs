using Workflow.Domain;

namespace Workflow.Application;

/// <summary>
/// A Teams activity-feed notification about one workflow. Never instead of the mail: sent beside it, to people who
/// have the Teams app installed.
/// </summary>
public sealed record TeamsActivity(string WorkflowId, string Preview, Uri WebUrl);

/// <summary>Teams' activity feed (Graph <c>sendActivityNotification</c>). Locally there is none.</summary>
public interface ITeamsNotifier
{
    /// <summary>Tells <paramref name="recipient"/> in their Teams activity feed; false if they do not have the app installed.</summary>
    Task<bool> NotifyAsync(UserId recipient, TeamsActivity activity, CancellationToken cancellationToken);
}

/// <summary>No Teams (local development, or Graph not configured): nobody has the app, nothing is sent.</summary>
public sealed class NoTeams : ITeamsNotifier
{
    public Task<bool> NotifyAsync(UserId recipient, TeamsActivity activity, CancellationToken cancellationToken) => Task.FromResult(false);
}

/// <summary>The time zone a person's mailbox settings name (Outlook's own setting), as an IANA id.</summary>
public interface IMailboxTimeZones
{
    /// <summary>The IANA id of the zone <paramref name="user"/>'s mailbox is set to, or null if unknown.</summary>
    Task<string?> FindAsync(UserId user, CancellationToken cancellationToken);
}

/// <summary>No mailbox settings to read (local development): the person sets their zone in the pane.</summary>
public sealed class NoMailboxTimeZones : IMailboxTimeZones
{
    public Task<string?> FindAsync(UserId user, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
