namespace Marketplace.Cli.Demo;

// What a voucher program paid for one tenant at one provider.
public sealed record VoucherShare(string TenantId, string ProviderId, decimal Amount);
