using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Hostile;

// One RPC of the contract, on its service's operator channel (an operator may call every RPC, so
// roles never decide the answer).
sealed record Rpc(MethodDescriptor Method, GrpcChannel Channel, Func<CallOptions, Task> NormalCall)
{
    public string Name => $"{Method.Service.Name}/{Method.Name}";

    public MessageDescriptor Request => Method.InputType;

    public override string ToString() => Name;
}

static class EveryRpc
{
    // Read from the generated descriptors, so an RPC added to a .proto is attacked without a line here.
    public static IReadOnlyList<Rpc> Of(MarketUnderTest market)
    {
        var services = new (ServiceDescriptor Service, GrpcChannel Channel, Func<CallOptions, Task> NormalCall)[]
        {
            (ProviderService.Descriptor, market.Provider.Channel,
                o => new ProviderService.ProviderServiceClient(market.Provider.Channel).ListAcceleratorsAsync(new(), o).ResponseAsync),
            (BrokerService.Descriptor, market.Broker.Channel,
                o => new BrokerService.BrokerServiceClient(market.Broker.Channel).ListLeasesAsync(new() { TenantId = "hostile-probe" }, o).ResponseAsync),
            (ExchangeService.Descriptor, market.Broker.Channel,
                o => new ExchangeService.ExchangeServiceClient(market.Broker.Channel).GetOrderBookAsync(new() { Hours = 1 }, o).ResponseAsync),
            (BillingService.Descriptor, market.Billing.Channel,
                o => new BillingService.BillingServiceClient(market.Billing.Channel).ListVoucherProgramsAsync(new(), o).ResponseAsync),
        };
        var rpcs = services.SelectMany(s => s.Service.Methods.Select(m => new Rpc(m, s.Channel, s.NormalCall))).ToList();
        if (rpcs.Any(r => r.Method.IsClientStreaming))
            throw new InvalidOperationException("a client-streaming RPC appeared: teach RawCall to send it");
        return rpcs;
    }
}
