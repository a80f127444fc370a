using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Workflow.Api.Hosting;

namespace Workflow.Api.Identity;

/// <summary>
/// Fetches the keys bearer tokens are signed with — Entra's OpenID metadata and its JWKS, through the bearer scheme's
/// configuration manager, which keeps them for every request after — in the background once the handler listens and
/// has answered the host's readiness probe, so the first signed-in request of a cold instance does not wait for them.
/// It waits for that answer rather than for the server to start: building the bearer options takes CPU the first
/// readiness answer would otherwise share (measured: +15-50 ms on a cold start's readiness). Nothing waits for this,
/// and a failure is only logged: the first signed-in request then fetches the keys itself, as it did before.
/// </summary>
public sealed class SigningKeysWarmUp(ReadinessAnswered readiness, IOptionsMonitor<JwtBearerOptions> bearer, ILogger<SigningKeysWarmUp> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.Task.WaitAsync(stoppingToken);
            // Building the options is part of the work the first request would do: Microsoft.Identity.Web's settings,
            // the token handlers, the configuration manager itself.
            if (bearer.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager is { } keys)
            {
                await keys.GetConfigurationAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Log.SigningKeysNotFetched(logger, e);
        }
    }
}
