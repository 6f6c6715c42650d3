namespace Marketplace.Console.Tenant;

// One line of a bill, in whole fen as the ledger keeps it.
public sealed record InvoiceLineView(
    string LeaseId, string DatacenterId, string Model, double AcceleratorHours, long AmountFen, long VoucherFen, long TenantDueFen);
