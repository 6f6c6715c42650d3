using Marketplace.Broker.Storage;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Broker.Failover;

// The quote a failover chose for one move, kept so that a broker killed mid-move accepts the same quote
// under the same key when the move runs again: one new lease, never two.
//
//   broker:{k}:failover:{outage}:{lease}:{group}:{try}   string  quote id (kept two days)
public sealed class FailoverStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    static readonly TimeSpan Keep = TimeSpan.FromDays(2);

    IDatabase Db => redis.GetDatabase();

    public async Task<string?> QuoteOfAsync(string moveKey) => await Db.StringGetAsync($"{BrokerKeys.Tag}:failover:{moveKey}");

    // The first quote chosen for the move wins; returns the one that stands.
    public async Task<string> ChooseAsync(string moveKey, string quoteId)
    {
        var key = $"{BrokerKeys.Tag}:failover:{moveKey}";
        var chosen = await Db.StringSetAsync(key, quoteId, Keep, When.NotExists) ? quoteId : (string)(await Db.StringGetAsync(key))!;
        await replicated.AfterAsync(key);
        return chosen;
    }
}
