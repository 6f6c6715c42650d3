using StackExchange.Redis;

namespace Marketplace.Broker.Storage;

// The Redis that keeps quotes: one of their own when ConnectionStrings:QuoteCache names it, else the
// market's. A quote is re-derivable and lives minutes, so it needs no AOF: on the market's Redis
// (appendfsync always) every reply is written to disk and rewritten with the AOF again and again, which
// costs more than working the quote out. A quote the cache loses is "not found" and asked for again;
// what an accept commits (the lease, its event, the accept itself) is on the market's Redis.
public sealed class QuoteCache : IDisposable
{
    readonly bool _owned;

    public IConnectionMultiplexer Redis { get; }

    public QuoteCache(IConnectionMultiplexer redis) => Redis = redis;

    QuoteCache(IConnectionMultiplexer redis, bool owned) : this(redis) => _owned = owned;

    public static QuoteCache From(string? connectionString, IConnectionMultiplexer market)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            return new QuoteCache(market);
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false; // quoting goes on while it is down: replies are stored behind
        return new QuoteCache(ConnectionMultiplexer.Connect(options), owned: true);
    }

    public bool IsSeparate => _owned;

    public void Dispose()
    {
        if (_owned)
            Redis.Dispose();
    }
}
