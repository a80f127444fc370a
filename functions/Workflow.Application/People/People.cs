using TimeZoneConverter;
using Workflow.Domain;

namespace Workflow.Application;

/// <summary>A person the product knows: someone who is a bound party of at least one workflow.</summary>
public sealed record Person(
    UserId Id, string Email, string? DisplayName, string? TimeZone,
    NotifyFrequency Frequency = NotifyFrequency.Immediate, TimeOnly? QuietFrom = null, TimeOnly? QuietTo = null,
    bool TimeZoneFromMailbox = false)
{
    public NotificationPreferences Preferences => new(Frequency, TimeZone ?? "UTC", QuietFrom, QuietTo) { TimeZoneFromMailbox = TimeZoneFromMailbox };
}

/// <summary>
/// The people registry: one entry per person who is a bound party, with their preferences — whom the weekly review
/// writes to. (A person's lists are the <see cref="IWorkflowIndex"/>, not this.)
/// </summary>
public interface IPeopleRegistry
{
    Task<Person?> FindAsync(UserId user, CancellationToken cancellationToken);

    /// <summary>Adds or refreshes a person's name and email, keeping their preferences.</summary>
    Task RememberAsync(UserId user, string email, string? displayName, CancellationToken cancellationToken);

    /// <summary>Sets the person's time zone; <paramref name="fromMailbox"/> when it was taken from their Outlook settings, not chosen.</summary>
    Task SetTimeZoneAsync(UserId user, string timeZone, CancellationToken cancellationToken, bool fromMailbox = false);

    /// <summary>Sets how and when the person is told of moves (and their time zone, which the quiet hours are in).</summary>
    Task SetPreferencesAsync(UserId user, NotificationPreferences preferences, CancellationToken cancellationToken);

    IAsyncEnumerable<Person> AllAsync(CancellationToken cancellationToken);

    /// <summary>Removes the person's entry and preferences (docs/decisions/0016); removing none is done.</summary>
    Task ForgetAsync(UserId user, CancellationToken cancellationToken);
}

/// <summary>Time zones as the product names them: IANA ids (Europe/Berlin), whatever name they were given in.</summary>
public static class TimeZones
{
    /// <summary>
    /// The zone an IANA id or a Windows zone name (as Outlook's mailbox settings give it: "W. Europe Standard Time")
    /// names, as its IANA zone; null for anything else. Windows names are mapped by TimeZoneConverter's table, since
    /// .NET maps them only with ICU, which this service runs without (InvariantGlobalization).
    /// </summary>
    public static TimeZoneInfo? Find(string id)
    {
        if (id.Length is 0 or > 64)
        {
            return null;
        }
        // An IANA id is tried first, so ids both schemes know (UTC) keep the name they were given in.
        if (IsIanaShaped(id) && FindSystemZone(id) is { } zone)
        {
            return zone;
        }
        // Only a name in the Windows table gets through with spaces or dots: nothing else ever reaches the zone files.
        return TZConvert.TryWindowsToIana(id, out var iana) ? FindSystemZone(iana) : null;
    }

    private static bool IsIanaShaped(string id) => id.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+');

    private static TimeZoneInfo? FindSystemZone(string ianaId)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(ianaId);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
