using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Workflow.Api.Hosting;

namespace Workflow.Api.Identity;

/// <summary>
/// Fetches the keys bearer tokens are signed with — Entra's OpenID metadata and its JWKS, through the bearer scheme's
/// configuration manager, which keeps them for every request after — as soon as the handler listens, so the first
/// signed-in request of a cold instance does not wait for them. Nothing waits for this: it begins once the server
/// listens (no network call before, docs/decisions/0001) and the readiness probe is answered meanwhile; a failure is
/// only logged — the first signed-in request then fetches them itself, as it did before.
/// </summary>
public sealed class SigningKeysWarmUp(IHostApplicationLifetime lifetime, IOptionsMonitor<JwtBearerOptions> bearer, ILogger<SigningKeysWarmUp> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StartedAsync(stoppingToken))
        {
            return;
        }
        try
        {
            // Building the options is part of the work the first request would do: Microsoft.Identity.Web's settings,
            // the token handlers, the configuration manager itself.
            if (bearer.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager is { } keys)
            {
                await keys.GetConfigurationAsync(stoppingToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Log.SigningKeysNotFetched(logger, e);
        }
    }

    /// <summary>Waits until the host has started (the server listens); false if it stops first.</summary>
    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
