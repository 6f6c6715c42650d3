using Marketplace.Testing.Servers;

namespace Marketplace.Bench;

// What every scenario gets: the options, and a real Redis and RabbitMQ started once, on first use,
// so scenarios that need no servers do not wait ~8 s for them; and the brokers' quote cache, a Redis
// in memory only, as deployed (unless --quotes-in-market).
public sealed class BenchContext(BenchOptions options) : IAsyncDisposable
{
    Task<TestServers>? _servers;
    Task<RedisServerProcess>? _quoteCache;

    public BenchOptions Options => options;

    public Task<TestServers> ServersAsync(CancellationToken ct) => _servers ??= TestServers.StartAsync(ct);

    // ConnectionStrings:QuoteCache for a broker: the cache's address, or none (quotes in the market's Redis).
    public async Task<(string Key, string? Value)> QuoteCacheSettingAsync(CancellationToken ct) =>
        ("ConnectionStrings:QuoteCache", options.QuotesInMarket ? null : (await QuoteCacheAsync(ct)).ConnectionString);

    // The Redis quotes are written to: the cache, or the market's.
    public async Task<string> QuoteRedisAsync(CancellationToken ct) =>
        options.QuotesInMarket ? (await ServersAsync(ct)).RedisConnectionString : (await QuoteCacheAsync(ct)).ConnectionString;

    Task<RedisServerProcess> QuoteCacheAsync(CancellationToken ct) =>
        _quoteCache ??= RedisServerProcess.StartAsync(ct, "--appendonly", "no");

    public async ValueTask DisposeAsync()
    {
        if (_quoteCache is { IsCompletedSuccessfully: true })
            await _quoteCache.Result.DisposeAsync();
        if (_servers is { IsCompletedSuccessfully: true })
            await _servers.Result.DisposeAsync();
    }
}
