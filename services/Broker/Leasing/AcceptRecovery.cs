using Marketplace.Broker.Storage;
using Marketplace.ServiceDefaults.Time;
using Marketplace.ServiceDefaults.Replicas;

namespace Marketplace.Broker.Leasing;

// Finishes what a crashed or stuck accept left half-done, at start-up and then periodically: an accept
// still pending after its stale age, or whose broker replica has died (LiveBrokers), is undone, so it can
// never commit, and every hold it recorded is given back whole; one undone but not yet given back is tried
// again. The quote is open again: a retry of the same request starts afresh.
public sealed class AcceptRecovery(AcceptStore accepts, AcceptUndo undo, LiveBrokers live, BrokerOptions options,
    ILogger<AcceptRecovery> logger, RunnerLease runner)
    : PeriodicWork(options.AcceptRecoveryInterval, logger, runAtStart: true, runOnce: runner)
{
    protected override async Task TickAsync(CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var staleBefore = now - (long)options.AcceptStaleAfter.TotalMilliseconds;
        foreach (var (quoteId, sinceMs) in await accepts.PendingSinceAsync(now, take: 500))
        {
            ct.ThrowIfCancellationRequested();
            var (state, attempt, key) = await accepts.GetAsync(quoteId, now);
            if (state is not ("pending" or "undone") || (sinceMs > staleBefore && !await live.IsGoneAsync(attempt)))
                continue;
            if (await undo.UndoAsync(quoteId, key, attempt))
                logger.LogWarning("Undid a stale accept of quote {QuoteId} (attempt {Attempt}) and gave its holds back", quoteId, attempt);
        }
    }
}
