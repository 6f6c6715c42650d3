using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Billing.Ledger;

// Replays the billing event log from a cursor, then follows it. Each event carries its own cursor:
// a watcher that reconnects with the last one it saw gets no gap and no duplicate. The log holds usage
// postings and issued invoices (a tenant's own; no provider's or hub's).
public sealed class BillingEventDesk(LedgerStore ledger, InvoiceStore invoices, BillingOptions options)
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
                if (Matches(request, line) && await EventAsync(line) is { } e)
                    await write(e);
            }
            if (lines.Count < Page)
                await Task.Delay(options.WatchPollInterval, ct);
        }
    }

    async Task<BillingEvent?> EventAsync(LedgerStore.LogLine line)
    {
        if (line.InvoiceId.Length > 0)
            return await invoices.InvoiceAsync(line.InvoiceId) is { } invoice
                ? new BillingEvent { Cursor = line.Cursor, OccurredAt = invoice.IssuedAt, InvoiceIssued = invoice }
                : null;
        if (await ledger.PostingAsync(line.PostingId) is not { } posting)
            return null;
        var proto = posting.ToProto();
        return new BillingEvent { Cursor = line.Cursor, OccurredAt = proto.OccurredAt, Posting = proto };
    }

    static bool Matches(WatchBillingEventsRequest request, LedgerStore.LogLine line) =>
        (request.TenantId.Length == 0 || request.TenantId == line.TenantId)
        && (request.ProviderId.Length == 0 || request.ProviderId == line.ProviderId)
        && (request.HubId.Length == 0 || request.HubId == line.HubId);

    // Stream entry ids: "<ms>-<seq>".
    static bool IsCursor(string value) =>
        value.Split('-') is [var ms, var seq] && ulong.TryParse(ms, out _) && ulong.TryParse(seq, out _);
}
