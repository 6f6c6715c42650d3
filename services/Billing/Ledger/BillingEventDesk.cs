using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Billing.Ledger;

// Replays the billing event log from a cursor, then follows it. Each event carries its own cursor:
// a watcher that reconnects with the last one it saw gets no gap and no duplicate. The log holds usage
// postings and issued invoices (a tenant's own; no provider's or hub's).
//
// A watcher replays from the log in pages until it reaches the end, then joins the process's one live
// reader (BillingLogFanOut). Whatever the reader handed out before the join is still in the log: one more
// replay after joining picks it up, and live events at or before the watcher's cursor are skipped, so the
// seam has no gap and no duplicate. A watcher let go for falling behind does the same from its cursor.
public sealed class BillingEventDesk(LedgerStore ledger, BillingLogEvents events, BillingLogFanOut fanOut)
{
    const int Page = 200;

    // Page reads in flight at once, across all watchers. Hundreds of watchers replaying together (a restart
    // that reconnects them all) would otherwise queue megabytes of replies on the shared multiplexer and hold
    // up the ledger's own commands behind them; gated, they take turns and the memory stays a few pages.
    readonly SemaphoreSlim _pageReads = new(4);

    public async Task WatchAsync(WatchBillingEventsRequest request, Func<BillingEvent, Task> write, CancellationToken ct)
    {
        var cursor = request.FromCursor switch
        {
            "" => "",
            "$" => await ledger.LastCursorAsync(),
            var given when LogCursor.IsCursor(given) => given,
            _ => throw new InvalidFieldException("from_cursor", "is not a cursor this service gave out"),
        };
        while (true)
        {
            cursor = await ReplayAsync(request, cursor, write, ct);
            using var live = fanOut.Join(request);
            cursor = await ReplayAsync(request, cursor, write, ct);
            await foreach (var e in live.Events.ReadAllAsync(ct))
            {
                if (LogCursor.Compare(e.Cursor, cursor) <= 0)
                    continue; // replayed already
                await write(e);
                cursor = e.Cursor;
            }
            ct.ThrowIfCancellationRequested();
            // let go for falling behind: catch up from the log, then join again
        }
    }

    // Writes the watcher's events after `cursor`, a page at a time, up to the end of the log; the new cursor.
    async Task<string> ReplayAsync(WatchBillingEventsRequest request, string cursor, Func<BillingEvent, Task> write,
        CancellationToken ct)
    {
        while (true)
        {
            var (lines, last, page) = await PageAsync(request, cursor, ct);
            foreach (var e in page)
                await write(e.Event); // outside the gate: a slow client holds up no one else's replay
            cursor = last;
            if (lines < Page)
                return cursor;
        }
    }

    // One page of the log after `cursor`: how many lines it had, the last one's cursor, the watcher's events in it.
    async Task<(int Lines, string Last, IReadOnlyList<BillingLogEvents.LogEvent> Events)> PageAsync(
        WatchBillingEventsRequest request, string cursor, CancellationToken ct)
    {
        await _pageReads.WaitAsync(ct);
        try
        {
            var lines = await ledger.LogAfterAsync(cursor, Page, ct);
            if (lines.Count == 0)
                return (0, cursor, []);
            var page = await events.EventsAsync(lines.Where(l => BillingLogEvents.Matches(request, l)).ToList());
            return (lines.Count, lines[^1].Cursor, page);
        }
        finally
        {
            _pageReads.Release();
        }
    }
}
