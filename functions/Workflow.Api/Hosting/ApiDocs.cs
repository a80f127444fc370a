using Scalar.AspNetCore;

namespace Workflow.Api.Hosting;

/// <summary>
/// Interactive API docs (Scalar) over the served OpenAPI document, in Development only. Scalar's script and styles are
/// embedded in its package and served from here, and its web fonts are off, so the page works with no network.
/// </summary>
public static class ApiDocs
{
    // Routes
    //   GET /api/docs    the API reference (Development only; elsewhere 404)
    public const string Route = "/api/docs";

    public static void MapApiDocs(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            MapScalar(app);
        }
    }

    /// <summary>Apart, so that outside Development Scalar's assembly is never even loaded (start-up cost, scripts/bench.sh).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void MapScalar(WebApplication app) =>
        app.MapScalarApiReference(Route, options => options
                .WithTitle("Workflow API")
                .WithOpenApiRoutePattern(OpenApiContract.DocumentRoute)
                .DisableDefaultFonts())
            .AllowAnonymous();
}
