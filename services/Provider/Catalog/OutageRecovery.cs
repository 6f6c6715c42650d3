using Marketplace.Provider.Storage;
using Marketplace.ServiceDefaults.Time;
using Marketplace.ServiceDefaults.Replicas;

namespace Marketplace.Provider.Catalog;

// Finishes every outage still marked unannounced: its offers' calendars taken down (or brought back) and
// its event on the bus. A report or end cut off after the outage was stored (a client's deadline, the
// provider killed, RabbitMQ away) is so completed within a pass; each step gives the same result again.
public sealed class OutageRecovery(OutageStore store, OutageDesk outages, ProviderOptions options, ILogger<OutageRecovery> logger, RunnerLease runner)
    : PeriodicWork(options.HoldSweepInterval, logger, runOnce: runner)
{
    protected override async Task TickAsync(CancellationToken ct)
    {
        foreach (var id in await store.UnannouncedAsync())
            if (await store.GetAsync(id) is { } outage)
                await outages.FinishAsync(outage);
    }
}
