using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Api.Application;
using Workflow.Api.Features.Review;
using Workflow.Api.Hosting;
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

    public sealed record PreferencesBody(string TimeZone);

    private static async Task<Ok<MeView>> Get(HttpContext context, IDirectory directory, IPeople people)
    {
        var caller = (await CallerIdentity.CallerOfAsync(context, directory))!;
        var known = await people.FindAsync(caller.Id, context.RequestAborted);
        return TypedResults.Ok(new MeView(caller.Id.TenantId, caller.Id.ObjectId, caller.Email, caller.DisplayName, known?.TimeZone ?? "UTC"));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetPreferences(HttpContext context, IPeople people)
    {
        var (body, problem) = await JsonBody.ReadAsync<PreferencesBody>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (TimeZones.Find(body!.TimeZone) is not { } zone)
        {
            return Problems.Invalid("timeZone must be an IANA time zone such as Europe/Berlin.");
        }
        await people.SetTimeZoneAsync(CallerIdentity.UserOf(context.User)!, zone.Id, context.RequestAborted);
        return TypedResults.NoContent();
    }
}
