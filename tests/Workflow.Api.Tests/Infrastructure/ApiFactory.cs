using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Api.Tests.Infrastructure;

/// <summary>
/// The real API in process, on a fresh set of tables in the shared Azurite. Development by default (local sign-in
/// on, development directory); pass another environment to test production behaviour.
/// </summary>
public sealed class ApiFactory(Azurite azurite, string environment = "Development", Action<IServiceCollection>? services = null,
    IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public string TablePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The address the in-process server believes callers come from.</summary>
    public IPAddress RemoteAddress { get; set; } = IPAddress.Loopback;

    public StorageRequestCounter Requests { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseTestServer(server => server.PreserveExecutionContext = true);
        builder.UseSetting("Tables:ConnectionString", azurite.ConnectionString);
        builder.UseSetting("Tables:TablePrefix", TablePrefix);
        builder.UseSetting("FollowUps:SweepInterval", "00:00:00");
        // Mail goes out when a test runs the mailer (NotificationMailer.RunAsync), never behind its back.
        builder.UseSetting("Notifications:PollInterval", "00:00:00");
        builder.UseSetting("Notifications:CoalesceWindow", "00:00:00");
        // Tests drive many writes per user; the rate limit has its own test with its own limits.
        builder.UseSetting("RateLimits:WriteBurst", "1000000");
        builder.UseSetting("RateLimits:WritesPerMinute", "6000000");
        builder.UseSetting("RateLimits:ReadBurst", "1000000");
        builder.UseSetting("RateLimits:ReadsPerMinute", "6000000");
        builder.UseSetting("RateLimits:AnonymousBurst", "1000000");
        builder.UseSetting("RateLimits:AnonymousPerMinute", "6000000");
        builder.UseSetting("Tables:RetryDelay", "00:00:00.010");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<HttpPipelinePolicy>(Requests);
            s.AddSingleton<IStartupFilter>(new RemoteAddressFilter(() => RemoteAddress));
            services?.Invoke(s);
        });
    }

    /// <summary>
    /// A client whose every exchange is held to the contract (<see cref="ContractCheck"/>), otherwise as
    /// WebApplicationFactory's own: redirects followed, cookies kept.
    /// </summary>
    public new HttpClient CreateClient() => CreateDefaultClient(ClientOptions.BaseAddress,
        new Microsoft.AspNetCore.Mvc.Testing.Handlers.RedirectHandler(ClientOptions.MaxAutomaticRedirections),
        new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(),
        new ContractCheck());

    /// <summary>The port the in-process server believes it listens on (the Functions host dials 127.0.0.1 there).</summary>
    public const int ListeningPort = 7071;

    /// <summary>A client that calls as the Functions host itself does: 127.0.0.1 at our port, with an invocation id.</summary>
    public HttpClient CreateHostClient()
    {
        var client = CreateClient();
        client.BaseAddress = new Uri($"http://127.0.0.1:{ListeningPort}");
        client.DefaultRequestHeaders.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        return client;
    }

    public async Task<HttpClient> SignedInAsync(string email)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/dev/token", new { email });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenBody>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.access_token);
        return client;
    }

#pragma warning disable IDE1006 // The token response's wire names.
    private sealed record TokenBody(string access_token);
#pragma warning restore IDE1006

    private sealed class RemoteAddressFilter(Func<IPAddress> address) : IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((Microsoft.AspNetCore.Http.HttpContext context, Func<Task> nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address();
                context.Connection.LocalIpAddress = IPAddress.Loopback;
                context.Connection.LocalPort = ListeningPort;
                return nextMiddleware();
            });
            next(app);
        };
    }
}
