namespace Marketplace.Cli.Demo;

// What billing charged for one lease: its lines of the tenant's invoices for the lease's window (their ids,
// comma-separated: two when the lease ran across the end of a billing period).
public sealed record InvoiceSummary(string InvoiceId, double AcceleratorHours, double EnergyKwh, decimal Amount,
    decimal VoucherCovered, decimal TenantDue);
