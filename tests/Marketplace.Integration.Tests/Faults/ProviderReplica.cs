using System.Globalization;
using Marketplace.Integration.Tests.Operations;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;

namespace Marketplace.Integration.Tests.Faults;

// A provider process of its own on the fixture's Redis and RabbitMQ (the same calendar and holds as the
// fixture's provider), with /metrics on a port of its own, so a test can count the calls it served and kill -9 it.
sealed class ProviderReplica(ServiceProcess process, Uri metrics) : IAsyncDisposable
{
    public ServiceProcess Process { get; } = process;

    // host:port as a static:/// address lists it.
    public string HostPort => $"127.0.0.1:{Process.Port}";

    public static async Task<ProviderReplica> StartAsync(MarketUnderTest market, CancellationToken ct)
    {
        var settings = MarketUnderTest.CommonSettings(market.Servers);
        var metrics = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        settings["JsonUrls"] = metrics.ToString();
        settings["Provider:LoadSeeds"] = "false";
        return new ProviderReplica(await ServiceProcess.StartConfiguredAsync("Marketplace.Provider.dll", settings, ct), metrics);
    }

    // gRPC calls this process finished, by method ("HoldCapacity"), read off the server's request counter.
    public async Task<IReadOnlyDictionary<string, double>> CallsAsync()
    {
        const string counter = "http_server_request_duration_seconds_count{";
        const string route = "http_route=\"/marketplace.provider.v1.ProviderService/";
        var calls = new Dictionary<string, double>();
        foreach (var line in (await PrometheusText.ScrapeAsync(metrics)).Text.Split('\n'))
        {
            var at = line.IndexOf(route, StringComparison.Ordinal);
            if (!line.StartsWith(counter, StringComparison.Ordinal) || at < 0)
                continue;
            var method = line[(at + route.Length)..line.IndexOf('"', at + route.Length)];
            var value = double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            calls[method] = calls.GetValueOrDefault(method) + value;
        }
        return calls;
    }

    public async Task<double> CallsAsync(params string[] methods)
    {
        var calls = await CallsAsync();
        return methods.Sum(m => calls.GetValueOrDefault(m));
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
