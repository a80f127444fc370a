using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Api.Hosting;
using Workflow.Application;
using Workflow.Domain;
using Workflow.Api.Identity;

namespace Workflow.Api.Features.Profile;

public static class ProfileEndpoints
{
    // Routes
    //   GET /api/me                who I am, as the product knows me, and my preferences
    //   PUT /api/me/preferences    { "timeZone": "Europe/Berlin", "notify": "immediate|daily|weekly", "quietFrom": "22:00", "quietTo": "07:00" }
    //   GET /api/me/export         everything the product holds about me, as a JSON file (docs/decisions/0016)
    //   DELETE /api/me             { "confirm": "delete my data" } — forget me: a tombstone in shared workflows, my own rows gone

    public static RouteGroupBuilder MapMe(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me").RequireAuthorization(Authentication.UserPolicy).WithTags("Me");
        group.MapGet("/", Get).Contract("getMe", "Who I am, as the product knows me", 200);
        group.MapPut("/preferences", SetPreferences).Contract("setPreferences", "Set my time zone, how often I am told of moves, and my quiet hours", 204, 400)
            .TakesJson<PreferencesBody>();
        group.MapGet("/export", Export).Contract("exportMe", "Everything the product holds about me, as a JSON file", 200);
        group.MapDelete("/", Forget).Contract("forgetMe", "Forget me: a tombstone in the workflows I shared, and my own data deleted", 200, 400)
            .TakesJson<ForgetBody>();
        return group;
    }

    /// <summary>
    /// Who I am and my preferences. <see cref="TimeZoneFromMailbox"/>: the zone was taken from my Outlook mailbox
    /// settings because I never set one here. Quiet hours are local times in my zone; null when I have none.
    /// </summary>
    public sealed record MeView(
        string TenantId, string ObjectId, string? Email, string? DisplayName, string TimeZone, bool TimeZoneFromMailbox,
        string Notify, string? QuietFrom, string? QuietTo);

    /// <summary>
    /// <c>notify</c>: immediate (a mail per workflow soon after a move, a burst of moves in one), daily (one summary in
    /// the morning) or weekly (the weekly review only). Quiet hours: both or neither, "HH:mm", may span midnight.
    /// Fields left out keep their value.
    /// </summary>
    public sealed record PreferencesBody(string? TimeZone = null, string? Notify = null, string? QuietFrom = null, string? QuietTo = null) : IRequestBody
    {
        public static ValueTask<PreferencesBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<PreferencesBody>(context);

        public string? Problem() =>
            TimeZone is null && Notify is null && QuietFrom is null && QuietTo is null
                ? "Say what to change: timeZone, notify, or quietFrom and quietTo."
            : TimeZone is not null && TimeZones.Find(TimeZone) is null ? "timeZone must be an IANA time zone such as Europe/Berlin."
            : Notify is not null && !TryFrequency(Notify, out _) ? "notify must be one of immediate, daily, weekly."
            : (QuietFrom is null) != (QuietTo is null) || (QuietFrom is { Length: 0 }) != (QuietTo is { Length: 0 })
                ? "quietFrom and quietTo go together: give both, or both as \"\" to have no quiet hours."
            : QuietFrom is { Length: > 0 } && !TryTime(QuietFrom, out _) || QuietTo is { Length: > 0 } && !TryTime(QuietTo, out _)
                ? "quietFrom and quietTo are times of day as HH:mm, such as 22:00 and 07:00."
            : null;

        public static bool TryFrequency(string text, out NotifyFrequency frequency)
        {
            frequency = text switch { "immediate" => NotifyFrequency.Immediate, "daily" => NotifyFrequency.Daily, "weekly" => NotifyFrequency.Weekly, _ => (NotifyFrequency)(-1) };
            return Enum.IsDefined(frequency);
        }

        public static bool TryTime(string text, out TimeOnly time) =>
            TimeOnly.TryParseExact(text, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out time);
    }

    private static async Task<Ok<MeView>> Get(
        [FromServices] Caller caller, HttpContext context, IDirectory directory, IPeopleRegistry registry, IMailboxTimeZones mailboxZones)
    {
        var me = await caller.WithDirectoryNameAsync(directory, context.RequestAborted);
        var known = await registry.FindAsync(me.Id, context.RequestAborted);
        var zone = known?.TimeZone;
        var fromMailbox = known?.TimeZoneFromMailbox ?? false;
        if (zone is null && await mailboxZones.FindAsync(me.Id, context.RequestAborted) is { } mailboxZone && TimeZones.Find(mailboxZone) is { } found)
        {
            // Outlook's own setting, until the person sets one here; remembered, so the digest and quiet hours use it too.
            zone = found.Id;
            fromMailbox = true;
            await registry.SetTimeZoneAsync(me.Id, zone, context.RequestAborted, fromMailbox: true);
        }
        var preferences = known?.Preferences ?? NotificationPreferences.Default;
        return TypedResults.Ok(new MeView(me.Id.TenantId, me.Id.ObjectId, me.Email, me.DisplayName, zone ?? "UTC", fromMailbox,
            WorkflowDecider.Name(preferences.Frequency), Time(preferences.QuietFrom), Time(preferences.QuietTo)));
    }

    /// <summary>Asking to be forgotten: <c>confirm</c> must be exactly "delete my data".</summary>
    public sealed record ForgetBody(string Confirm) : IRequestBody
    {
        public static ValueTask<ForgetBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<ForgetBody>(context);

        public string? Problem() => Confirm == PersonalData.Confirmation
            ? null
            : $"confirm must be exactly \"{PersonalData.Confirmation}\": deleting cannot be undone.";
    }

    /// <summary>
    /// The JSON file of everything the product holds about me: always mine, so never not found. Bounded
    /// (<see cref="PrivacyOptions"/>): the newest workflows first, <c>workflowsTruncated</c> when there were more.
    /// </summary>
    /// <remarks>
    /// The contract gives the file's shape as any JSON: it is the product's own records, described in ADR 0016, not an
    /// interface to program against — and its domain types change with the product.
    /// </remarks>
    private static async Task<Ok<System.Text.Json.JsonElement>> Export(
        [FromServices] Caller caller, HttpContext context, PersonalData data, TimeProvider time,
        Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var export = await data.ExportAsync(caller, context.RequestAborted);
        context.Response.Headers.ContentDisposition =
            $"attachment; filename=\"workflow-export-{time.GetUtcNow():yyyy-MM-dd}.json\"";
        return TypedResults.Ok(System.Text.Json.JsonSerializer.SerializeToElement(export, json.Value.SerializerOptions.GetTypeInfo(typeof(PersonalExport))));
    }

    /// <summary>
    /// Forgets me. Safe to ask again: a retry finishes what a crash or a busy workflow left (<c>complete</c> false says
    /// to ask again), and once done it finds nothing more to do.
    /// </summary>
    private static async Task<Ok<ForgetRun>> Forget(ForgetBody body, [FromServices] Caller caller, HttpContext context, PersonalData data) =>
        TypedResults.Ok(await data.ForgetAsync(caller, context.RequestAborted));

    private static async Task<NoContent> SetPreferences(
        PreferencesBody body, [FromServices] Caller caller, HttpContext context, IPeopleRegistry registry)
    {
        var current = (await registry.FindAsync(caller.Id, context.RequestAborted))?.Preferences ?? NotificationPreferences.Default;
        var frequency = body.Notify is { } notify && PreferencesBody.TryFrequency(notify, out var chosen) ? chosen : current.Frequency;
        var (quietFrom, quietTo) = body.QuietFrom is null
            ? (current.QuietFrom, current.QuietTo)
            : (PreferencesBody.TryTime(body.QuietFrom, out var from) ? from : (TimeOnly?)null,
               PreferencesBody.TryTime(body.QuietTo!, out var to) ? to : (TimeOnly?)null);
        // A zone named here is chosen; one left out keeps where it came from (the mailbox, until the person chooses).
        var zone = body.TimeZone is { } named ? TimeZones.Find(named)!.Id : current.TimeZone;
        await registry.SetPreferencesAsync(caller.Id,
            new NotificationPreferences(frequency, zone, quietFrom, quietTo) { TimeZoneFromMailbox = body.TimeZone is null && current.TimeZoneFromMailbox },
            context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static string? Time(TimeOnly? time) => time?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
