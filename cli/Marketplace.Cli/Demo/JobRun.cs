using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Cli.Connection;

namespace Marketplace.Cli.Demo;

// One job as the day goes: its request, the reply it chose from, its lease, the alternative, its invoices
// (more than one when the lease runs across the end of a billing period).
public sealed class JobRun(SmeJob job, MarketConnection tenant, QuoteRequest request)
{
    public SmeJob Job { get; } = job;
    public MarketConnection Tenant { get; } = tenant;
    public QuoteRequest Request { get; } = request;
    public QuoteResponse Reply { get; set; } = new();
    public Quote Chosen { get; set; } = new();
    public Lease Lease { get; set; } = new();
    public Quote? Nearest { get; set; }
    public IReadOnlyList<Invoice> Invoices { get; set; } = [];

    public double LeasedHours => Lease.Allocations.Sum(a => a.Units) * Output.Cells.Hours(Lease.Window);

    public IEnumerable<InvoiceLine> Lines => Invoices.SelectMany(i => i.Lines).Where(l => l.LeaseId == Lease.Id);

    public double BilledHours => Lines.Sum(l => l.AcceleratorHours);

    public bool Finished => Lease.State is LeaseState.Ended or LeaseState.Cancelled;

    public bool Billed => Finished && BilledHours >= LeasedHours - 1e-9 && Lines.Sum(l => l.Amount.ToDecimal()) > 0;
}
