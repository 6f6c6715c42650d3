using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Billing.Ledger;

// Replays the billing event log from a cursor, then follows it. Each event carries its own cursor (the
// position in every shard's log after it, LogPosition): a watcher that reconnects with the last one it saw
// gets no gap and no duplicate. The log holds usage postings and issued invoices (a tenant's own; no
// provider's or hub's). Shards' lines come merged by entry id when replayed and as they are written when
// live; each shard's in its order.
//
// A watcher replays from the log in pages until it reaches the end, then joins the process's one live
// reader (BillingLogFanOut). Whatever the reader handed out before the join is still in the log: one more
// replay after joining picks it up, and live events at or before the watcher's position are skipped, so the
// seam has no gap and no duplicate. A watcher let go for falling behind does the same from its position.
public sealed class BillingEventDesk(LedgerStore ledger, BillingLogEvents events, BillingLogFanOut fanOut)
{
    const int Page = 200;

    // Page reads in flight at once, across all watchers. Hundreds of watchers replaying together (a restart
    // that reconnects them all) would otherwise queue megabytes of replies on the shared multiplexer and hold
    // up the ledger's own commands behind them; gated, they take turns and the memory stays a few pages.
    readonly SemaphoreSlim _pageReads = new(4);

    public async Task WatchAsync(WatchBillingEventsRequest request, Func<BillingEvent, Task> write, CancellationToken ct)
    {
        var shards = ledger.Shards.All;
        var position = request.FromCursor switch
        {
            "" => LogPosition.Start(shards.Count),
            "$" => LogPosition.Of(await Task.WhenAll(shards.Select(ledger.LastCursorAsync))),
            var given when LogPosition.TryParse(given, shards.Count, out var parsed) => parsed,
            _ => throw new InvalidFieldException("from_cursor", "is not a cursor this service gave out"),
        };
        while (true)
        {
            position = await ReplayAsync(request, position, write, ct);
            using var live = fanOut.Join(request);
            position = await ReplayAsync(request, position, write, ct);
            await foreach (var e in live.Events.ReadAllAsync(ct))
            {
                if (position.Covers(e.Line.Shard, e.Line.Cursor))
                    continue; // replayed already
                position = position.With(e.Line.Shard, e.Line.Cursor);
                await write(At(e.Event, position));
            }
            ct.ThrowIfCancellationRequested();
            // let go for falling behind: catch up from the log, then join again
        }
    }

    // The event with the watcher's own position as its cursor. The reader stamps every live event with the
    // position it has handed out; a watcher just past its replay may be further on in another shard, and
    // then gets a copy with its own (never a cursor that would replay what it had).
    static BillingEvent At(BillingEvent e, LogPosition position)
    {
        var cursor = position.ToString();
        if (e.Cursor == cursor)
            return e;
        var own = e.Clone();
        own.Cursor = cursor;
        return own;
    }

    // Writes the watcher's events after `position`, a page at a time, up to the end of the log; the new position.
    async Task<LogPosition> ReplayAsync(WatchBillingEventsRequest request, LogPosition position, Func<BillingEvent, Task> write,
        CancellationToken ct)
    {
        while (true)
        {
            var (lines, more, page) = await PageAsync(request, position, ct);
            var next = 0;
            foreach (var line in lines)
            {
                position = position.With(line.Shard, line.Cursor);
                if (next < page.Count && ReferenceEquals(page[next].Line, line))
                    await write(At(page[next++].Event, position)); // outside the gate: a slow client holds up no one else's replay
            }
            if (!more)
                return position;
        }
    }

    // One page of the log after `position`: up to a page of each shard's lines, merged by entry id; whether
    // any shard has more; the watcher's events among them.
    async Task<(IReadOnlyList<LedgerStore.LogLine> Lines, bool More, IReadOnlyList<BillingLogEvents.LogEvent> Events)> PageAsync(
        WatchBillingEventsRequest request, LogPosition position, CancellationToken ct)
    {
        await _pageReads.WaitAsync(ct);
        try
        {
            var shards = await Task.WhenAll(ledger.Shards.All.Select(shard => ledger.LogAfterAsync(shard, position[shard.Index], Page, ct)));
            var lines = shards.Length == 1
                ? shards[0]
                : shards.SelectMany(s => s).OrderBy(l => l.Cursor, Comparer<string>.Create(LogPosition.CompareIds)).ThenBy(l => l.Shard).ToList();
            var page = await events.EventsAsync(lines.Where(l => BillingLogEvents.Matches(request, l)).ToList());
            return (lines, shards.Any(s => s.Count == Page), page);
        }
        finally
        {
            _pageReads.Release();
        }
    }
}
