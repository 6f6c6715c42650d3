using Marketplace.Billing.V1;
using Marketplace.Common.V1;

namespace Marketplace.Console.Live;

// BillingEvent -> FeedItem. A posting's amounts are read off its ledger entries (debits positive):
// the tenant's and the voucher fund's debits are what the usage cost; the platform fee is a credit.
static class FeedItems
{
    public static FeedItem From(BillingEvent e)
    {
        var at = e.OccurredAt?.ToDateTimeOffset().ToUnixTimeMilliseconds() ?? 0;
        if (e.KindCase == BillingEvent.KindOneofCase.InvoiceIssued)
        {
            var invoice = e.InvoiceIssued;
            return new FeedItem(e.Cursor, "invoice", at, invoice.Id, invoice.TenantId, "", "", "", "",
                invoice.Lines.Sum(l => l.AcceleratorHours), invoice.Lines.Sum(l => l.EnergyKwh), invoice.Total?.Currency ?? "",
                WholeFen.Of(invoice.Total), WholeFen.Of(invoice.TenantDue), WholeFen.Of(invoice.VoucherCovered), 0, invoice.Number);
        }
        var p = e.Posting;
        long Sum(AccountKind kind) => p.Entries.Where(x => x.Account?.Kind == kind).Sum(x => WholeFen.Of(x.Amount));
        var tenantDue = Sum(AccountKind.Tenant);
        var voucher = Sum(AccountKind.VoucherFund);
        return new FeedItem(e.Cursor, "posting", at, p.SourceEventId, p.TenantId, p.ProviderId, p.HubId, p.LeaseId,
            p.VoucherId, p.AcceleratorHours, p.EnergyKwh, p.Entries.FirstOrDefault()?.Amount?.Currency ?? "",
            tenantDue + voucher, tenantDue, voucher, -Sum(AccountKind.PlatformFee), Credit: p.Kind == "credit");
    }
}
