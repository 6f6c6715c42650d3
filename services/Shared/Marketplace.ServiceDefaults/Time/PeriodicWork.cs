using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.ServiceDefaults.Time;

// Background work that runs every interval (real time) until the host stops, and once at start when
// asked (recovery work); a failed tick is logged and the next one tries again.
public abstract class PeriodicWork(TimeSpan interval, ILogger logger, bool runAtStart = false) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        var first = runAtStart;
        while (first || await timer.WaitForNextTickAsync(stoppingToken))
        {
            first = false;
            try
            {
                await TickAsync(stoppingToken);
            }
            // A tick's own timeout is a failed tick like any other; only the host's stopping ends the work.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "{Work} failed; retrying next tick", GetType().Name);
            }
        }
    }

    protected abstract Task TickAsync(CancellationToken ct);
}
