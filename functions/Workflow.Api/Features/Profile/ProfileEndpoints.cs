using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Api.Hosting;
using Workflow.Application;
using Workflow.Api.Identity;

namespace Workflow.Api.Features.Profile;

public static class ProfileEndpoints
{
    // Routes
    //   GET /api/me                who I am, as the product knows me, and my preferences
    //   PUT /api/me/preferences    { "timeZone": "Europe/Berlin" } — my week for the weekly review

    public static RouteGroupBuilder MapMe(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me").RequireAuthorization(Authentication.UserPolicy).WithTags("Me");
        group.MapGet("/", Get).Contract("getMe", "Who I am, as the product knows me", 200);
        group.MapPut("/preferences", SetPreferences).Contract("setPreferences", "Set my time zone for the weekly review", 204, 400)
            .TakesJson<PreferencesBody>();
        return group;
    }

    public sealed record MeView(string TenantId, string ObjectId, string? Email, string? DisplayName, string TimeZone);

    public sealed record PreferencesBody(string TimeZone) : IRequestBody
    {
        public static ValueTask<PreferencesBody?> BindAsync(HttpContext context) => JsonBody.BindAsync<PreferencesBody>(context);

        public string? Problem() => TimeZones.Find(TimeZone) is null ? "timeZone must be an IANA time zone such as Europe/Berlin." : null;
    }

    private static async Task<Ok<MeView>> Get([FromServices] Caller caller, HttpContext context, IDirectory directory, IPeopleRegistry registry)
    {
        var me = await caller.WithDirectoryNameAsync(directory, context.RequestAborted);
        var known = await registry.FindAsync(me.Id, context.RequestAborted);
        return TypedResults.Ok(new MeView(me.Id.TenantId, me.Id.ObjectId, me.Email, me.DisplayName, known?.TimeZone ?? "UTC"));
    }

    private static async Task<NoContent> SetPreferences(
        PreferencesBody body, [FromServices] Caller caller, HttpContext context, IPeopleRegistry registry)
    {
        await registry.SetTimeZoneAsync(caller.Id, TimeZones.Find(body.TimeZone)!.Id, context.RequestAborted);
        return TypedResults.NoContent();
    }
}
