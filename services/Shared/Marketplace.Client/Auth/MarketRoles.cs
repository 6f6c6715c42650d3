namespace Marketplace.ServiceDefaults.Auth;

// Who may call what: the role claim of a token.
public static class MarketRoles
{
    public const string Tenant = "tenant";
    public const string Provider = "provider";
    public const string Operator = "operator";   // the platform's staff and voucher issuers
    public const string Service = "service";     // one Marketplace service calling another

    public static readonly string[] All = [Tenant, Provider, Operator, Service];
}
