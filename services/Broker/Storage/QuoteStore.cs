using Google.Protobuf;
using Marketplace.Broker.V1;
using StackExchange.Redis;

namespace Marketplace.Broker.Storage;

// Quotes live as long as they can be accepted, plus a minute to say "expired" rather than "unknown":
// they are re-derivable, and a tenant asking many must not fill the store.
//
//   broker:quote:{id}              hash    q: Quote, r: the QuoteRequest it answered (protobuf bytes)
// Who accepts a quote, and how far, is AcceptStore's.
public sealed class QuoteStore(IConnectionMultiplexer redis)
{
    static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    IDatabase Db => redis.GetDatabase();

    public static string Key(string id) => $"broker:quote:{id}";

    public async Task SaveAsync(Quote quote, QuoteRequest request, TimeSpan lifetime)
    {
        var batch = Db.CreateBatch();
        var set = batch.HashSetAsync(Key(quote.Id), [new("q", quote.ToByteArray()), new("r", request.ToByteArray())]);
        var expire = batch.KeyExpireAsync(Key(quote.Id), lifetime + Grace);
        batch.Execute();
        await Task.WhenAll(set, expire);
    }

    public async Task<(Quote Quote, QuoteRequest Request)?> GetAsync(string id, CancellationToken ct = default)
    {
        var fields = await Db.HashGetAsync(Key(id), ["q", "r"]).WaitAsync(ct);
        if (fields[0].IsNull)
            return null;
        return (Quote.Parser.ParseFrom((byte[])fields[0]!), QuoteRequest.Parser.ParseFrom((byte[])fields[1]!));
    }
}
