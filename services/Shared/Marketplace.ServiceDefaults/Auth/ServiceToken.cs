using Microsoft.Extensions.Hosting;

namespace Marketplace.ServiceDefaults.Auth;

// This service's token for calls to the others, renewed well before it expires.
public sealed class ServiceToken(TokenIssuer issuer, IHostEnvironment host)
{
    static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    readonly Lock _lock = new();
    (string Token, DateTime RenewAt) _current;

    public string Current
    {
        get
        {
            lock (_lock)
            {
                if (DateTime.UtcNow >= _current.RenewAt)
                    _current = (issuer.Issue(MarketRoles.Service, host.ApplicationName, Lifetime), DateTime.UtcNow + Lifetime / 2);
                return _current.Token;
            }
        }
    }
}
