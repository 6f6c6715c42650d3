namespace Marketplace.Console.Live;

// One billing event as the page gets it. Money is whole fen (integers stay exact in JavaScript);
// `At` is Unix milliseconds. Kind: "posting" (usage rated into the ledger) or "invoice" (issued, with its
// number; EventId is then the invoice id). Credit: a posting that is an SLA credit for hours an outage took
// (a negative amount, paid by the provider).
public sealed record FeedItem(
    string Cursor, string Kind, long At, string EventId, string Tenant, string Provider, string Hub, string Lease,
    string Voucher, double Hours, double EnergyKwh, string Currency,
    long AmountFen, long TenantDueFen, long VoucherFen, long FeeFen, long Number = 0, bool Credit = false);
