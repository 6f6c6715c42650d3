using Grpc.Core;
using Grpc.Net.Client;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Connection;

// Channels to the three services, every call carrying one bearer token. The services speak HTTP/2
// without TLS, so the token rides an insecure channel on purpose (UnsafeUseInsecureChannelCallCredentials).
public sealed class MarketConnection(MarketAddresses addresses, string? token, TimeSpan requestTimeout) : IDisposable
{
    readonly Lazy<GrpcChannel> _provider = new(() => Open(addresses.Provider, token));
    readonly Lazy<GrpcChannel> _broker = new(() => Open(addresses.Broker, token));
    readonly Lazy<GrpcChannel> _billing = new(() => Open(addresses.Billing, token));

    public MarketAddresses Addresses => addresses;

    public ProviderService.ProviderServiceClient Provider => new(_provider.Value);
    public BrokerService.BrokerServiceClient Broker => new(_broker.Value);
    public ExchangeService.ExchangeServiceClient Exchange => new(_broker.Value);
    public BillingService.BillingServiceClient Billing => new(_billing.Value);

    // A unary call: a deadline, and the caller's cancellation.
    public CallOptions Call(CancellationToken ct) =>
        new(deadline: DateTime.UtcNow + requestTimeout, cancellationToken: ct);

    // A stream that follows live events: no deadline, it ends when the caller stops it.
    public static CallOptions Follow(CancellationToken ct) => new(cancellationToken: ct);

    public void Dispose()
    {
        foreach (var channel in new[] { _provider, _broker, _billing }.Where(c => c.IsValueCreated))
            channel.Value.Dispose();
    }

    static GrpcChannel Open(Uri address, string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
            return GrpcChannel.ForAddress(address);
        var transport = address.Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        var bearer = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        });
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(transport, bearer),
            UnsafeUseInsecureChannelCallCredentials = true,
        });
    }
}
