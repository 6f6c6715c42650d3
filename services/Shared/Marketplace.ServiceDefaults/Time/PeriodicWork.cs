using Marketplace.ServiceDefaults.Replicas;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.ServiceDefaults.Time;

// Background work that runs every interval (real time) until the host stops, and once at start when
// asked (recovery work); a failed tick is logged and the next one tries again. Given a runner lease, the
// work runs on one replica at a time: a tick runs only while this replica holds the lease, which outlives
// the interval by RunnerGrace, so a survivor takes over that long after its holder dies.
public abstract class PeriodicWork(TimeSpan interval, ILogger logger, bool runAtStart = false, RunnerLease? runOnce = null)
    : BackgroundService
{
    public static readonly TimeSpan RunnerGrace = TimeSpan.FromSeconds(3);

    // The work's name among replicas: one per kind of work.
    public string WorkName => GetType().FullName!;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        var first = runAtStart;
        try
        {
            while (first || await timer.WaitForNextTickAsync(stoppingToken))
            {
                first = false;
                try
                {
                    if (runOnce is null)
                    {
                        await TickAsync(stoppingToken);
                        continue;
                    }
                    await using var turn = await runOnce.TryTakeAsync(WorkName, interval + RunnerGrace, stoppingToken);
                    if (turn is not null) // else another replica runs it now
                        await TickAsync(turn.Token);
                }
                // A tick's own timeout is a failed tick like any other; only the host's stopping ends the work.
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "{Work} failed; retrying next tick", GetType().Name);
                }
            }
        }
        finally
        {
            // Stopping in good order hands the work over at once rather than when the lease runs out.
            if (runOnce is not null)
                try { await runOnce.ReleaseAsync(WorkName); }
                catch (Exception ex) { logger.LogDebug(ex, "{Work}: runner lease not released; it runs out", GetType().Name); }
        }
    }

    protected abstract Task TickAsync(CancellationToken ct);
}
