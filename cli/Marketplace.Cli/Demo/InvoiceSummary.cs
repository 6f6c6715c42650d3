namespace Marketplace.Cli.Demo;

// What billing charged for one lease: its lines of the tenant's invoice for the lease's window.
public sealed record InvoiceSummary(string InvoiceId, double AcceleratorHours, double EnergyKwh, decimal Amount,
    decimal VoucherCovered, decimal TenantDue);
