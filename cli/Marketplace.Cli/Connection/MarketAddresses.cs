using Marketplace.Cli.Invocation;
using Marketplace.Cli.Profiles;

namespace Marketplace.Cli.Connection;

// Where the three services listen: environment first, then the profile, then the local defaults.
public sealed record MarketAddresses(Uri Provider, Uri Broker, Uri Billing)
{
    public static MarketAddresses Resolve(Terminal terminal, Profile profile) => new(
        Pick(terminal.Variable("MARKET_PROVIDER"), profile.ProviderAddress, "http://127.0.0.1:5101", "MARKET_PROVIDER"),
        Pick(terminal.Variable("MARKET_BROKER"), profile.BrokerAddress, "http://127.0.0.1:5102", "MARKET_BROKER"),
        Pick(terminal.Variable("MARKET_BILLING"), profile.BillingAddress, "http://127.0.0.1:5103", "MARKET_BILLING"));

    static Uri Pick(string? fromEnvironment, string? fromProfile, string fallback, string variable)
    {
        var text = fromEnvironment ?? fromProfile ?? fallback;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"{variable} (or the profile) gives '{text}', which is not an http(s) address");
    }
}
