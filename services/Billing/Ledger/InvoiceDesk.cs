using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Billing.Domain;
using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.Common.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Billing.Ledger;

// Invoices and provider statements, computed from the ledger's postings so they tie to it to the fen.
// A tenant's invoice of a billing period holds the postings of that period's bucket: an OPEN draft while
// the period runs, ISSUED (numbered, stored, never changed again) once it is closed.
// An invoice id names its tenant and period: "inv.<tenant>.<start yyyyMMddHH>.<end yyyyMMddHH>".
public sealed class InvoiceDesk(LedgerStore ledger, InvoiceStore store, BillingPeriods periods, BillingOptions options,
    TimeProvider clock)
{
    const string HourFormat = "yyyyMMddHH";

    public static string IdOf(string tenantId, DateTimeOffset start, DateTimeOffset end) =>
        $"inv.{tenantId}.{start.ToString(HourFormat, CultureInfo.InvariantCulture)}.{end.ToString(HourFormat, CultureInfo.InvariantCulture)}";

    // The tenant's issued invoices and open drafts overlapping the period (unset: the open one), oldest first.
    public async Task<IReadOnlyList<Invoice>> InvoicesAsync(string tenantId, TimeWindow? period, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(tenantId))
            throw new InvalidFieldException("tenant_id", "is required");
        var closedThrough = await store.ClosedThroughAsync(tenantId);
        var current = periods.BucketOf(clock.GetUtcNow(), closedThrough);
        var (start, end) = period?.Start is null || period.End is null ? (current, periods.EndOf(current)) : Period(period);

        var invoices = (await store.TenantInvoicesAsync(tenantId, DateTimeOffset.MinValue, end.AddTicks(-TimeSpan.TicksPerMillisecond)))
            .Where(i => i.Period.End.ToDateTimeOffset() > start).ToList();
        var open = (await store.OpenBucketsAsync(tenantId, before: end)).Append(current).Distinct().Order();
        foreach (var bucket in open.Where(b => b < end && periods.EndOf(b) > start && b >= closedThrough))
            if (bucket == current || await store.HasPostingsAsync(bucket, tenantId))
                invoices.Add(await DraftAsync(tenantId, bucket));
        return invoices;
    }

    // An issued invoice as stored; a draft of an open period; for a period an early close cut short, the
    // invoice it was issued as.
    public async Task<Invoice> InvoiceAsync(string invoiceId, CancellationToken ct)
    {
        if (await store.InvoiceAsync(invoiceId) is { } issued)
            return issued;
        var parts = invoiceId.Split('.');
        if (parts is not ["inv", var tenant, var from, var to] || !TryHour(from, out var start) || !TryHour(to, out var end))
            throw new NotFoundException("invoice", invoiceId);
        var closedThrough = await store.ClosedThroughAsync(tenant);
        if (start >= closedThrough && periods.IsBucketStart(start, closedThrough) && end == periods.EndOf(start))
            return await DraftAsync(tenant, start);
        return (await store.TenantInvoicesAsync(tenant, start, start)).FirstOrDefault() ?? throw new NotFoundException("invoice", invoiceId);
    }

    // The invoice a closed bucket issues to the tenant: its postings, numbered by the store.
    public async Task<Invoice> ToIssueAsync(string tenantId, DateTimeOffset bucket, DateTimeOffset end)
    {
        var invoice = await ComputeAsync(tenantId, bucket, end);
        invoice.State = InvoiceState.Issued;
        invoice.IssuedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        return invoice;
    }

    async Task<Invoice> DraftAsync(string tenantId, DateTimeOffset bucket)
    {
        var draft = await ComputeAsync(tenantId, bucket, periods.EndOf(bucket));
        draft.State = InvoiceState.Open;
        return draft;
    }

    async Task<Invoice> ComputeAsync(string tenantId, DateTimeOffset bucket, DateTimeOffset end)
    {
        var postings = await ledger.InvoicePostingsAsync(bucket, tenantId);
        var invoice = new Invoice { Id = IdOf(tenantId, bucket, end), TenantId = tenantId, Period = Window(bucket, end) };
        var currency = Currency(postings);
        invoice.Lines.AddRange(await LinesAsync(tenantId, bucket, postings, currency));
        invoice.Total = FenMoney.ToMoney(postings.Sum(p => p.AmountFen), currency);
        invoice.VoucherCovered = FenMoney.ToMoney(postings.Sum(p => p.SubsidyFen), currency);
        invoice.TenantDue = FenMoney.ToMoney(postings.Sum(p => p.TenantDueFen), currency);
        return invoice;
    }

    // One line per lease site and model, and one for its SLA credits; usage of an hour in a closed period on lines of its own, marked
    // as adjustments of that period (and of the tenant's invoice for it, if it had one).
    async Task<List<InvoiceLine>> LinesAsync(string tenantId, DateTimeOffset bucket, IReadOnlyList<PostingRecord> postings, string currency)
    {
        var late = postings.Where(p => At(p.IntervalStartMs) < bucket).ToList();
        var cuts = late.Count > 0 ? await store.CutsAsync(tenantId) : [];
        var lines = new List<InvoiceLine>(Lines(postings.Except(late), currency));
        foreach (var adjusted in late.GroupBy(p => periods.ClosedPeriodOf(At(p.IntervalStartMs), cuts)).OrderBy(g => g.Key.Start))
        {
            var id = IdOf(tenantId, adjusted.Key.Start, adjusted.Key.End);
            var issued = await store.IsIssuedAsync(id);
            lines.AddRange(Lines(adjusted, currency).Select(line =>
            {
                line.Adjustment = true;
                line.AdjustedPeriod = Window(adjusted.Key.Start, adjusted.Key.End);
                line.AdjustedInvoiceId = issued ? id : "";
                return line;
            }));
        }
        return lines;
    }

    public async Task<ProviderStatement> StatementAsync(string providerId, TimeWindow? period, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(providerId))
            throw new InvalidFieldException("provider_id", "is required");
        var (start, end) = period?.Start is null || period.End is null ? CalendarMonth() : Period(period);
        var postings = (await ledger.PostingsAsync(Accounts.Provider(providerId), 0, -1))
            .Where(p => p.IntervalStartMs >= start.ToUnixTimeMilliseconds() && p.IntervalStartMs < end.ToUnixTimeMilliseconds())
            .ToList();
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
        postings.GroupBy(p => (p.LeaseId, p.ProviderId, p.DatacenterId, p.AcceleratorModel, p.Kind))
            .OrderBy(g => g.Key.LeaseId, StringComparer.Ordinal).ThenBy(g => g.Key.DatacenterId, StringComparer.Ordinal)
            .ThenByDescending(g => g.Key.Kind, StringComparer.Ordinal) // usage, then its credit
            .Select(g => new InvoiceLine
            {
                Kind = g.Key.Kind,
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

    string Currency(IReadOnlyList<PostingRecord> postings) => postings.FirstOrDefault()?.Currency ?? options.Currencies[0];

    // Statements default to the current calendar month (UTC), as before billing periods existed.
    (DateTimeOffset, DateTimeOffset) CalendarMonth()
    {
        var now = clock.GetUtcNow();
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (month, month.AddMonths(1));
    }

    static (DateTimeOffset, DateTimeOffset) Period(TimeWindow period)
    {
        var (start, end) = (period.Start.ToDateTimeOffset(), period.End.ToDateTimeOffset());
        return end > start ? (start, end) : throw new InvalidFieldException("period.end", "must be after start");
    }

    static bool TryHour(string text, out DateTimeOffset hour) =>
        DateTimeOffset.TryParseExact(text, HourFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out hour);

    static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    static TimeWindow Window(DateTimeOffset start, DateTimeOffset end) =>
        new() { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(end) };
}
