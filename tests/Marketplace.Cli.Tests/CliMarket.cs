using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Testing.Market;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Cli.Tests;

// One seeded market for every marketctl test, its clock an hour a second so leases start, meter and end
// within a test. Meters and lease clocks tick fast; quotes live a market day (24 s) so a test can accept
// one in a separate command.
public sealed class CliMarket : IAsyncLifetime
{
    // Every marketctl's profile lives under here, gone with the market.
    readonly DirectoryInfo _profiles = Directory.CreateTempSubdirectory("marketctl-tests-");
    readonly (string, string?)[] _clock =
    [
        ("MarketClock:Speed", "3600"),
        ("MarketClock:Anchor", DateTimeOffset.UtcNow.ToString("O")),
    ];

    public MarketUnderTest Market { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Market = await MarketUnderTest.StartAsync(loadSeeds: true, settings:
        [
            .. _clock,
            ("Provider:MeterInterval", "00:00:00.200"),
            ("Broker:LeaseTickInterval", "00:00:00.100"),
            ("Broker:QuoteLifetime", "1.00:00:00"),
            // Billing periods of a century: at an hour a second a calendar month ends every 12 minutes, and an
            // invoice issued mid-test would show in a tenant's billing watch. Only `invoices close` closes one.
            ("Billing:InvoicePeriodHours", "876000"),
        ]);
        await QuotingAsync(Market.BrokerClient);
    }

    public async Task DisposeAsync()
    {
        await Market.DisposeAsync();
        _profiles.Delete(recursive: true);
    }

    // What time it is in the market (far ahead of the wall clock).
    public DateTimeOffset Now => Market.Broker.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    public Marketctl Cli(RunningService? broker = null) =>
        new(Market, _profiles.CreateSubdirectory(Guid.NewGuid().ToString("N")).FullName, broker);

    // A second broker as production runs it: only its top 5 options listed. Its own Redis database and
    // queues, so it never takes the first broker's leases or capacity events.
    public async Task<RunningService> StartShortListBrokerAsync()
    {
        var broker = await Market.StartBrokerAsync([.. _clock,
            ("ConnectionStrings:Redis", Market.Servers.RedisConnectionString + ",defaultDatabase=5"),
            ("Bus:EndpointPrefix", "short-list-broker"),
            ("Broker:ProviderAddress", Market.Provider.Address.ToString()),
            ("Broker:BillingAddress", Market.Billing.Address.ToString()),
            ("Broker:LeaseTickInterval", "00:00:00.100"),
            ("Broker:QuoteLifetime", "1.00:00:00")]);
        await QuotingAsync(new BrokerService.BrokerServiceClient(broker.Channel));
        return broker;
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    // A broker reads the provider's catalog in the background at start-up: wait until it quotes.
    Task QuotingAsync(BrokerService.BrokerServiceClient broker) => Eventually.TrueAsync(async () =>
    {
        try
        {
            await broker.RequestQuoteAsync(new QuoteRequest
            {
                TenantId = "warm-up",
                AcceleratorHours = new AcceleratorHours { AcceleratorModel = "H20", Hours = 1 },
                Accelerators = 1,
                Workload = WorkloadKind.Batch,
                Window = new TimeWindow
                {
                    Start = Timestamp.FromDateTimeOffset(Now),
                    End = Timestamp.FromDateTimeOffset(Now.AddDays(30)),
                },
            });
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }, "the broker's catalog", TimeSpan.FromSeconds(30));
}
