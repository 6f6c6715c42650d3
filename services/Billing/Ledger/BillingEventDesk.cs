using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Billing.Ledger;

// Replays the billing event log from a cursor, then follows it. Each event carries its own cursor:
// a watcher that reconnects with the last one it saw gets no gap and no duplicate.
public sealed class BillingEventDesk(LedgerStore ledger, BillingOptions options)
{
    const int Page = 200;

    public async Task WatchAsync(WatchBillingEventsRequest request, Func<BillingEvent, Task> write, CancellationToken ct)
    {
        var cursor = request.FromCursor switch
        {
            "" => "",
            "$" => await ledger.LastCursorAsync(),
            var given when IsCursor(given) => given,
            _ => throw new InvalidFieldException("from_cursor", "is not a cursor this service gave out"),
        };
        while (!ct.IsCancellationRequested)
        {
            var lines = await ledger.LogAfterAsync(cursor, Page);
            foreach (var line in lines)
            {
                cursor = line.Cursor;
                if (!Matches(request, line) || await ledger.PostingAsync(line.PostingId) is not { } posting)
                    continue;
                var proto = posting.ToProto();
                await write(new BillingEvent { Cursor = line.Cursor, OccurredAt = proto.OccurredAt, Posting = proto });
            }
            if (lines.Count < Page)
                await Task.Delay(options.WatchPollInterval, ct);
        }
    }

    static bool Matches(WatchBillingEventsRequest request, LedgerStore.LogLine line) =>
        (request.TenantId.Length == 0 || request.TenantId == line.TenantId)
        && (request.ProviderId.Length == 0 || request.ProviderId == line.ProviderId)
        && (request.HubId.Length == 0 || request.HubId == line.HubId);

    // Stream entry ids: "<ms>-<seq>".
    static bool IsCursor(string value) =>
        value.Split('-') is [var ms, var seq] && ulong.TryParse(ms, out _) && ulong.TryParse(seq, out _);
}
