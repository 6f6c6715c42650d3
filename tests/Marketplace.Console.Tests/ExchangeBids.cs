using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;

namespace Marketplace.Console.Tests;

// Tenants bidding on the exchange over gRPC, each with its own token: batch work in one region, divisible,
// anywhere in the four hours from the next whole hour, immediate-or-cancel.
sealed class ExchangeBids(MarketUnderTest market, string model) : IDisposable
{
    readonly List<GrpcChannel> _channels = [];

    public async Task<Bid> PlaceAsync(string tenant, string region, int accelerators, int hours, decimal limit)
    {
        var channel = MarketUnderTest.ChannelAs(market.Broker, MarketUnderTest.TokenFor(MarketRoles.Tenant, tenant));
        _channels.Add(channel);
        var start = MarketHours.Next;
        return await new ExchangeService.ExchangeServiceClient(channel).PlaceBidAsync(new PlaceBidRequest
        {
            RequestId = Guid.NewGuid().ToString("N"),
            Demand = new QuoteRequest
            {
                TenantId = tenant,
                AcceleratorHours = new AcceleratorHours { AcceleratorModel = model, Hours = accelerators * hours },
                Accelerators = accelerators,
                Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddHours(4)) },
                Workload = WorkloadKind.Batch,
                AllowedRegionIds = { region },
            },
            LimitPrice = Money.FromDecimal(limit, "CNY"),
            Divisible = true,
        });
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
            channel.Dispose();
    }
}
