using Google.Protobuf;
using Marketplace.Broker.V1;
using StackExchange.Redis;

namespace Marketplace.Broker.Storage;

// Quotes live only as long as they can be accepted (plus a day, to say "expired" rather than "unknown").
//
//   broker:quote:{id}     string  Quote protobuf bytes, expiring
public sealed class QuoteStore(IConnectionMultiplexer redis)
{
    static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    IDatabase Db => redis.GetDatabase();

    static string Key(string id) => $"broker:quote:{id}";

    public Task SaveAsync(Quote quote, TimeSpan lifetime) =>
        Db.StringSetAsync(Key(quote.Id), quote.ToByteArray(), lifetime + Grace);

    public async Task<Quote?> GetAsync(string id)
    {
        var bytes = await Db.StringGetAsync(Key(id));
        return bytes.IsNull ? null : Quote.Parser.ParseFrom((byte[])bytes!);
    }
}
