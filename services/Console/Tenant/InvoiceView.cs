using Marketplace.Billing.V1;

namespace Marketplace.Console.Tenant;

// The tenant's bill for the open period: the running draft (state open, no number) or an issued invoice.
public sealed record InvoiceView(
    string Id, string State, long Number, long PeriodStart, long PeriodEnd, long TotalFen, long VoucherFen, long TenantDueFen,
    IReadOnlyList<InvoiceLineView> Lines)
{
    public static InvoiceView From(Invoice i) => new(
        i.Id, i.State.ToString().ToLowerInvariant(), i.Number, UnixMs.Of(i.Period?.Start), UnixMs.Of(i.Period?.End),
        WholeFen.Of(i.Total), WholeFen.Of(i.VoucherCovered), WholeFen.Of(i.TenantDue),
        i.Lines.Select(l => new InvoiceLineView(l.LeaseId, l.DatacenterId, l.AcceleratorModel, l.AcceleratorHours,
            WholeFen.Of(l.Amount), WholeFen.Of(l.VoucherCovered), WholeFen.Of(l.TenantDue))).ToList());
}
