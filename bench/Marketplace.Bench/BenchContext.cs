using Marketplace.Testing.Servers;

namespace Marketplace.Bench;

// What every scenario gets: the options, and a real Redis and RabbitMQ started once, on first use,
// so scenarios that need no servers do not wait ~8 s for them.
public sealed class BenchContext(BenchOptions options) : IAsyncDisposable
{
    Task<TestServers>? _servers;

    public BenchOptions Options => options;

    public Task<TestServers> ServersAsync(CancellationToken ct) => _servers ??= TestServers.StartAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (_servers is { IsCompletedSuccessfully: true })
            await _servers.Result.DisposeAsync();
    }
}
