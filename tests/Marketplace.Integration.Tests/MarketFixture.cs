using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests;

// One market (servers and services) for every test in the collection: RabbitMQ takes seconds to boot.
public sealed class MarketFixture : IAsyncLifetime
{
    public MarketUnderTest Market { get; private set; } = null!;

    public async Task InitializeAsync() => Market = await MarketUnderTest.StartAsync();

    public async Task DisposeAsync() => await Market.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class MarketCollection : ICollectionFixture<MarketFixture>
{
    public const string Name = "market";
}
