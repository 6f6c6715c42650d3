using System.Diagnostics;
using Grpc.Health.V1;
using Marketplace.Integration.Tests.Provider;
using Marketplace.Provider.V1;
using Marketplace.Testing.Faults;
using Marketplace.Testing.Market;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Marketplace.Integration.Tests.Faults;

// The provider loses RabbitMQ: its calendar is in Redis, so holds, confirms and releases still answer
// at once (the broker's accepts go on); only the CapacityChanged it could not send is given up, and
// health says so. Each CapacityChanged carries the offer's whole free capacity: the next one heals it.
[Collection(MarketCollection.Name)]
public sealed class A_provider_cut_off_from_rabbitmq(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Still_holds_confirms_and_releases_within_seconds()
    {
        var offer = await _market.ProviderClient.NewOfferAsync(count: 8, site: "cutoff-site");
        await using var rabbit = TcpProxy.ToRabbitMq(_market.Servers.RabbitMqUri);
        await using var provider = await _market.StartProviderAsync(("ConnectionStrings:RabbitMq", rabbit.AmqpUri(_market.Servers.RabbitMqUri).ToString()));
        var client = new ProviderService.ProviderServiceClient(provider.Channel);
        var health = new Health.HealthClient(provider.Channel);

        rabbit.Cut();
        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "rabbitmq" },
            deadline: DateTime.UtcNow.AddSeconds(5))).Status);
        var clock = Stopwatch.StartNew();
        var hold = await client.HoldCapacityAsync(ProviderSteps.Hold(offer, units: 4, fromHour: 1, hours: 2),
            deadline: DateTime.UtcNow.AddSeconds(10));
        await client.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = hold.Id, LeaseId = "lease-cutoff" }, deadline: DateTime.UtcNow.AddSeconds(10));
        var released = await client.ReleaseHoldAsync(new ReleaseHoldRequest { HoldId = hold.Id }, deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(HoldState.Released, released.State);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"hold, confirm and release took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.All(await client.SlotsAsync(offer), s => Assert.Equal(0, s.Held + s.Leased));
        rabbit.Pass();
    }
}
