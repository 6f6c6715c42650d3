using System.Security.Claims;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Auth;

// Who is calling, as the market's rules need it. Operators and services may act for anyone.
public sealed record Caller(string Role, string Subject)
{
    public bool IsOperator => Role == MarketRoles.Operator;
    public bool IsService => Role == MarketRoles.Service;
    bool IsStaff => IsOperator || IsService;

    public static Caller From(ClaimsPrincipal user) =>
        new(user.FindFirstValue(TokenIssuer.RoleClaim) ?? "", user.FindFirstValue(TokenIssuer.SubjectClaim) ?? "");

    // A tenant may act only for itself.
    public void MustBeTenant(string tenantId)
    {
        if (!IsStaff && !(Role == MarketRoles.Tenant && Subject == tenantId))
            throw new ForbiddenException($"a {Role} '{Subject}' may not act for tenant '{tenantId}'");
    }

    // A provider may act only for its own sites and offers.
    public void MustBeProvider(string providerId)
    {
        if (!IsStaff && !(Role == MarketRoles.Provider && Subject == providerId))
            throw new ForbiddenException($"a {Role} '{Subject}' may not act for provider '{providerId}'");
    }

    // Writing a provider's sites and offers: the provider itself, or an operator administering the
    // market (taking down a listing, correcting a site); never another provider, a tenant or a service.
    public void MustWriteForProvider(string providerId)
    {
        if (!IsOperator && !(Role == MarketRoles.Provider && Subject == providerId))
            throw new ForbiddenException($"a {Role} '{Subject}' may not change provider '{providerId}''s sites or offers");
    }

    // A provider's private terms (an exchange reserve) are for the provider and the platform alone.
    public bool SeesTermsOf(string providerId) => IsStaff || (Role == MarketRoles.Provider && Subject == providerId);

    public void MustBeOperator()
    {
        if (!IsOperator)
            throw new ForbiddenException($"only an operator may do this, not a {Role}");
    }

    public void MustBeStaff()
    {
        if (!IsStaff)
            throw new ForbiddenException($"only the platform may do this, not a {Role}");
    }

    public void MustBeOneOf(params string[] roles)
    {
        if (!IsOperator && !roles.Contains(Role))
            throw new ForbiddenException($"a {Role} may not do this");
    }
}
