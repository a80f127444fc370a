using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workflow.Api.Hosting;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// What start-up leaves out, found by profiling scripts/bench.sh's start-up figure (issue 3): each saving is pinned
/// here so a later change cannot quietly bring the cost back.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class StartupCostTests(Azurite azurite) : IAsyncLifetime
{
    private int _tokensRead;
    private ApiFactory? _api;

    private ApiFactory Api => _api ??= new ApiFactory(azurite, services: s => s
        .AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
        .PostConfigure(options =>
        {
            var earlier = options.Events.OnMessageReceived;
            options.Events.OnMessageReceived = context =>
            {
                Interlocked.Increment(ref _tokensRead);
                return earlier(context);
            };
        }));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    [Fact]
    public async Task Anonymous_requests_never_run_the_bearer_handler_and_user_routes_still_do()
    {
        using var anonymous = Api.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");

        using var functionsHost = Api.CreateHostClient();
        functionsHost.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.OK, (await functionsHost.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/openapi.json")).StatusCode);
        Assert.Equal(0, Volatile.Read(ref _tokensRead));

        // The same bad token on a user route is read, and refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me")).StatusCode);
        Assert.Equal(1, Volatile.Read(ref _tokensRead));

        using var alice = await Api.SignedInAsync("alice@contoso.test");
        var me = await alice.GetJsonAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal("alice@contoso.test", me.Body!["email"]!.GetValue<string>());
        Assert.Equal(2, Volatile.Read(ref _tokensRead));
    }

    [Fact]
    public async Task The_OpenAPI_document_is_generated_when_asked_for_and_not_before()
    {
        var generated = 0;
        await using var api = new ApiFactory(azurite, services: s => s.Configure<OpenApiOptions>("v1", options =>
            options.AddDocumentTransformer((_, _, _) =>
            {
                Interlocked.Increment(ref generated);
                return Task.CompletedTask;
            })));

        using var functionsHost = api.CreateHostClient();
        Assert.Equal(HttpStatusCode.OK, (await functionsHost.GetAsync("/")).StatusCode);
        using var alice = await api.SignedInAsync("alice@contoso.test");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetJsonAsync("/api/me")).Status);
        Assert.Equal(0, Volatile.Read(ref generated));

        using var anonymous = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/openapi.json")).StatusCode);
        Assert.True(Volatile.Read(ref generated) > 0);
    }

    [Fact]
    public void Every_endpoint_either_allows_anonymous_callers_or_requires_the_user_policy()
    {
        // With no default scheme, an endpoint that forgot the user policy would run without any user at all.
        var endpoints = Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, endpoint =>
        {
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToArray();
            Assert.True(anonymous ^ policies.Contains(Workflow.Api.Identity.Authentication.UserPolicy),
                $"{endpoint.DisplayName} ({endpoint.RoutePattern.RawText}): anonymous={anonymous}, policies=[{string.Join(", ", policies)}]");
        });
    }

    [Fact]
    public void The_data_protection_key_ring_is_not_loaded_at_start_up()
    {
        var hostedServices = Api.Services.GetServices<IHostedService>().Select(s => s.GetType().FullName).ToArray();

        Assert.DoesNotContain("Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService", hostedServices);
        Assert.Contains(typeof(Workflow.Api.Hosting.FollowUpWorker).FullName, hostedServices);
    }

    [Fact]
    public void Every_type_an_endpoint_answers_with_has_build_time_json_metadata()
    {
        var answered = EndpointTypes<IProducesResponseTypeMetadata>(m => m.Type)
            .Where(t => t != typeof(void) && t != typeof(string))
            .ToArray();

        Assert.Contains(typeof(Workflow.Api.Features.Workflows.WorkflowView), answered);
        AssertEachHasBuildTimeJsonMetadata(answered);
    }

    [Fact]
    public void Every_body_an_endpoint_reads_has_build_time_json_metadata()
    {
        // The endpoints' delegates look up each body type's JSON metadata when the route table is built, before the
        // readiness probe is answered: a type missing from ApiJsonContext is worked out by reflection then.
        var read = EndpointTypes<IAcceptsMetadata>(m => m.RequestType).ToArray();

        Assert.Contains(typeof(Workflow.Api.Features.Workflows.WorkflowEndpoints.MoveBody), read);
        AssertEachHasBuildTimeJsonMetadata(read);
    }

    /// <summary>The distinct types that one kind of the endpoints' metadata names.</summary>
    private IEnumerable<Type> EndpointTypes<TMetadata>(Func<TMetadata, Type?> type) where TMetadata : class =>
        Api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .SelectMany(e => e.Metadata.OfType<TMetadata>())
            .Select(type)
            .OfType<Type>()
            .Distinct();

    private static void AssertEachHasBuildTimeJsonMetadata(IEnumerable<Type> types) =>
        Assert.All(types, type => Assert.True(ApiJsonContext.Default.GetTypeInfo(type) is not null, $"{type} has no entry in ApiJsonContext."));
}
