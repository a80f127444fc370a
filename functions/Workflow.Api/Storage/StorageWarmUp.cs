using Workflow.Api.Hosting;

namespace Workflow.Api.Storage;

/// <summary>
/// Makes the tables exist — the first storage work any request does, once per process — in the background once the
/// handler has answered the host's readiness probe, so the first user of a cold instance does not pay for it. That
/// first use costs more than its round trip: the Azure SDK's pipeline, its first connection and the code behind them
/// (measured: about 80 ms of the first GET /api/me, scripts/bench.sh). Done before the readiness answer it would delay
/// that answer instead (about 70 ms), so it waits for it, as <see cref="Identity.SigningKeysWarmUp"/> does. Nothing
/// waits for this, and a failure is only logged: <see cref="TableStorage.EnsureCreatedAsync"/> forgets a failed
/// attempt, so the first request that needs the tables tries again.
/// </summary>
public sealed class StorageWarmUp(ReadinessAnswered readiness, IServiceProvider services, ILogger<StorageWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.Task.WaitAsync(stoppingToken);
            // Resolved only now: building the storage clients is itself part of the work kept off the readiness answer.
            await services.GetRequiredService<TableStorage>().EnsureCreatedAsync().WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Log.TablesNotCreatedAtStart(logger, e);
        }
    }
}
