using Google.Protobuf.WellKnownTypes;
using Marketplace.Billing.Domain;
using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.Common.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Billing.Ledger;

// Invoices and provider statements, computed from the ledger's postings so they tie to it to the fen.
// An invoice id names its tenant and period: "inv.<tenant>.<start yyyyMMddHH>.<end yyyyMMddHH>".
public sealed class InvoiceDesk(LedgerStore ledger, BillingOptions options, TimeProvider clock)
{
    public async Task<Invoice> InvoiceAsync(string tenantId, TimeWindow? period, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(tenantId))
            throw new InvalidFieldException("tenant_id", "is required");
        var (start, end) = Period(period);
        var postings = await InPeriod(Accounts.Tenant(tenantId), start, end);
        var invoice = new Invoice
        {
            Id = $"inv.{tenantId}.{start:yyyyMMddHH}.{end:yyyyMMddHH}",
            TenantId = tenantId,
            Period = Window(start, end),
            IssuedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
        };
        var currency = Currency(postings);
        invoice.Lines.AddRange(Lines(postings, currency));
        invoice.Total = FenMoney.ToMoney(postings.Sum(p => p.AmountFen), currency);
        invoice.VoucherCovered = FenMoney.ToMoney(postings.Sum(p => p.SubsidyFen), currency);
        invoice.TenantDue = FenMoney.ToMoney(postings.Sum(p => p.TenantDueFen), currency);
        return invoice;
    }

    public Task<Invoice> InvoiceAsync(string invoiceId, CancellationToken ct)
    {
        var parts = invoiceId.Split('.');
        if (parts is not ["inv", var tenant, var from, var to]
            || !DateTimeOffset.TryParseExact(from, "yyyyMMddHH", null, System.Globalization.DateTimeStyles.AssumeUniversal, out var start)
            || !DateTimeOffset.TryParseExact(to, "yyyyMMddHH", null, System.Globalization.DateTimeStyles.AssumeUniversal, out var end))
            throw new NotFoundException("invoice", invoiceId);
        return InvoiceAsync(tenant, Window(start, end), ct);
    }

    public async Task<ProviderStatement> StatementAsync(string providerId, TimeWindow? period, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(providerId))
            throw new InvalidFieldException("provider_id", "is required");
        var (start, end) = Period(period);
        var postings = await InPeriod(Accounts.Provider(providerId), start, end);
        var currency = Currency(postings);
        var statement = new ProviderStatement
        {
            ProviderId = providerId,
            Period = Window(start, end),
            Gross = FenMoney.ToMoney(postings.Sum(p => p.AmountFen), currency),
            PlatformFee = FenMoney.ToMoney(postings.Sum(p => p.FeeFen), currency),
            Payable = FenMoney.ToMoney(postings.Sum(p => p.AmountFen - p.FeeFen), currency),
        };
        statement.Lines.AddRange(Lines(postings, currency));
        return statement;
    }

    static IEnumerable<InvoiceLine> Lines(IEnumerable<PostingRecord> postings, string currency) =>
        postings.GroupBy(p => (p.LeaseId, p.ProviderId, p.DatacenterId, p.AcceleratorModel))
            .OrderBy(g => g.Key.LeaseId, StringComparer.Ordinal).ThenBy(g => g.Key.DatacenterId, StringComparer.Ordinal)
            .Select(g => new InvoiceLine
            {
                LeaseId = g.Key.LeaseId,
                ProviderId = g.Key.ProviderId,
                DatacenterId = g.Key.DatacenterId,
                AcceleratorModel = g.Key.AcceleratorModel,
                AcceleratorHours = g.Sum(p => p.AcceleratorSeconds) / 3600.0,
                EnergyKwh = Math.Round(g.Sum(p => p.EnergyKwh), 3),
                Amount = FenMoney.ToMoney(g.Sum(p => p.AmountFen), currency),
                VoucherCovered = FenMoney.ToMoney(g.Sum(p => p.SubsidyFen), currency),
                TenantDue = FenMoney.ToMoney(g.Sum(p => p.TenantDueFen), currency),
            });

    async Task<List<PostingRecord>> InPeriod(string account, DateTimeOffset start, DateTimeOffset end) =>
        (await ledger.PostingsAsync(account, 0, -1))
        .Where(p => p.IntervalStartMs >= start.ToUnixTimeMilliseconds() && p.IntervalStartMs < end.ToUnixTimeMilliseconds())
        .ToList();

    string Currency(IReadOnlyList<PostingRecord> postings) => postings.FirstOrDefault()?.Currency ?? options.Currencies[0];

    // Unset: the current calendar month (UTC).
    (DateTimeOffset, DateTimeOffset) Period(TimeWindow? period)
    {
        if (period?.Start is null || period.End is null)
        {
            var now = clock.GetUtcNow();
            var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
            return (month, month.AddMonths(1));
        }
        var (start, end) = (period.Start.ToDateTimeOffset(), period.End.ToDateTimeOffset());
        return end > start ? (start, end) : throw new InvalidFieldException("period.end", "must be after start");
    }

    static TimeWindow Window(DateTimeOffset start, DateTimeOffset end) =>
        new() { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(end) };
}
