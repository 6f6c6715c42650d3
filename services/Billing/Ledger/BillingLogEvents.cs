using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;

namespace Marketplace.Billing.Ledger;

// Turns a page of log lines into billing events, in the lines' order, each with its line's entry id as its
// cursor until a reader stamps the position it is at (LogPosition). A posting comes from the entry itself
// when it carries one, else from its hash, the page's lookups in one pipelined batch per shard; an invoice
// from the invoice store. A line whose posting or invoice cannot be read is left out, as it always was.
public sealed class BillingLogEvents(LedgerStore ledger, InvoiceStore invoices)
{
    public sealed record LogEvent(LedgerStore.LogLine Line, BillingEvent Event);

    public async Task<IReadOnlyList<LogEvent>> EventsAsync(IReadOnlyList<LedgerStore.LogLine> lines)
    {
        // Postings read from their hashes, by shard and id: one pipelined batch per shard.
        var looked = new Dictionary<(int Shard, string Id), PostingRecord?>();
        foreach (var shard in lines.Where(l => l.InvoiceId.Length == 0 && l.Posting is null).GroupBy(l => l.Shard))
        {
            var ids = shard.Select(l => l.PostingId).Distinct().ToList();
            var found = await ledger.PostingsByIdAsync(ledger.Shards.All[shard.Key], ids);
            for (var i = 0; i < ids.Count; i++)
                looked[(shard.Key, ids[i])] = found[i];
        }
        var issued = await Task.WhenAll(lines.Where(l => l.InvoiceId.Length > 0).Select(l => invoices.InvoiceAsync(l.InvoiceId)));

        var events = new List<LogEvent>(lines.Count);
        var nextInvoice = 0;
        foreach (var line in lines)
        {
            if (line.InvoiceId.Length > 0)
            {
                if (issued[nextInvoice++] is { } invoice)
                    events.Add(new(line, new BillingEvent { Cursor = line.Cursor, OccurredAt = invoice.IssuedAt, InvoiceIssued = invoice }));
            }
            else if ((line.Posting ?? looked[(line.Shard, line.PostingId)]) is { } posting)
            {
                var proto = posting.ToProto();
                events.Add(new(line, new BillingEvent { Cursor = line.Cursor, OccurredAt = proto.OccurredAt, Posting = proto }));
            }
        }
        return events;
    }

    // Whether the watcher asked for this line's events (its scope was set by role at the edge).
    public static bool Matches(WatchBillingEventsRequest request, LedgerStore.LogLine line) =>
        (request.TenantId.Length == 0 || request.TenantId == line.TenantId)
        && (request.ProviderId.Length == 0 || request.ProviderId == line.ProviderId)
        && (request.HubId.Length == 0 || request.HubId == line.HubId);
}
