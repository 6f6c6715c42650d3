using Marketplace.Billing.V1;

namespace Marketplace.Billing.Domain;

// Ledger account names, as stored: "tenant:<id>", "provider:<id>", "platform:fees", "voucher-fund:<program>".
public static class Accounts
{
    public const string PlatformFees = "platform:fees";

    public static string Tenant(string id) => $"tenant:{id}";
    public static string Provider(string id) => $"provider:{id}";
    public static string VoucherFund(string programId) => $"voucher-fund:{programId}";

    // The tenant whose account it is; null for the other kinds.
    public static string? TenantOf(string account) => account.StartsWith("tenant:", StringComparison.Ordinal) ? account["tenant:".Length..] : null;

    public static string Of(AccountRef account) => account.Kind switch
    {
        AccountKind.Tenant => Tenant(account.OwnerId),
        AccountKind.ProviderPayable => Provider(account.OwnerId),
        AccountKind.PlatformFee => PlatformFees,
        AccountKind.VoucherFund => VoucherFund(account.OwnerId),
        _ => throw new ServiceDefaults.Errors.InvalidFieldException("account.kind", "is required"),
    };

    public static AccountRef Parse(string name)
    {
        var (kind, owner) = (name.Split(':', 2)[0], name.Split(':', 2)[1]);
        return kind switch
        {
            "tenant" => new AccountRef { Kind = AccountKind.Tenant, OwnerId = owner },
            "provider" => new AccountRef { Kind = AccountKind.ProviderPayable, OwnerId = owner },
            "voucher-fund" => new AccountRef { Kind = AccountKind.VoucherFund, OwnerId = owner },
            _ => new AccountRef { Kind = AccountKind.PlatformFee },
        };
    }
}
