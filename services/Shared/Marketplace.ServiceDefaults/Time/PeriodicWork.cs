using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.ServiceDefaults.Time;

// Background work that runs every interval (real time) until the host stops; a failed tick is logged
// and the next one tries again.
public abstract class PeriodicWork(TimeSpan interval, ILogger logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "{Work} failed; retrying next tick", GetType().Name);
            }
        }
    }

    protected abstract Task TickAsync(CancellationToken ct);
}
