using Marketplace.Testing.Market;

namespace Marketplace.Cli.Tests.Readme;

// The seeded market as `market.sh run` starts it: the wall clock, HTTP/JSON ports, the seeds.
public sealed class ReadmeMarket : IAsyncLifetime
{
    readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("readme-examples-");

    public MarketUnderTest Market { get; private set; } = null!;

    public string ProfilePath => Path.Combine(_folder.FullName, "profile.json");

    public async Task InitializeAsync() => Market = await MarketUnderTest.StartAsync(loadSeeds: true);

    public async Task DisposeAsync()
    {
        await Market.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    // The README's addresses (run's default ports) and where this market listens instead.
    public IReadOnlyList<(string Readme, string Here)> Addresses =>
    [
        ("127.0.0.1:5101", HostPort(Market.Provider.Address)), ("127.0.0.1:5102", HostPort(Market.Broker.Address)),
        ("127.0.0.1:5103", HostPort(Market.Billing.Address)), ("127.0.0.1:5201", HostPort(Market.Provider.JsonAddress!)),
        ("127.0.0.1:5202", HostPort(Market.Broker.JsonAddress!)), ("127.0.0.1:5203", HostPort(Market.Billing.JsonAddress!)),
    ];

    static string HostPort(Uri address) => $"{address.Host}:{address.Port}";
}
