using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Console.SignIn;

// Who may open what, by path, in one place: the tenant's page and API are the tenant's, the shared files
// and who-am-I are anyone's signed in here, everything else (the operator page, its files and API) the
// operator's. Static files have no endpoint to carry a policy, so the rule goes by path for all of them alike.
static class ConsoleArea
{
    public const string TenantHome = "/tenant/";
    public const string OperatorHome = "/";

    static readonly string[] Anyone = [MarketRoles.Operator, MarketRoles.Tenant];
    static readonly string[] Operators = [MarketRoles.Operator];
    static readonly string[] Tenants = [MarketRoles.Tenant];

    public static IReadOnlyList<string> SignsIn => Anyone;

    public static IReadOnlyList<string> RolesFor(PathString path) =>
        path.StartsWithSegments("/tenant") || path.StartsWithSegments("/api/tenant") ? Tenants
        : path.StartsWithSegments("/shared") || path.StartsWithSegments("/api/me") || path.StartsWithSegments("/api/hubs") ? Anyone
        : Operators;

    public static string HomeOf(string role) => role == MarketRoles.Tenant ? TenantHome : OperatorHome;

    // Where sign-in sends someone back to: the page asked for when their role may open it, else their home.
    public static string Landing(string returnPath, string role) =>
        RolesFor(new PathString(returnPath.Split('?', '#')[0])).Contains(role) ? returnPath : HomeOf(role);
}
