using Google.Protobuf;
using Marketplace.Broker.V1;
using StackExchange.Redis;

namespace Marketplace.Broker.Storage;

// Quotes live as long as they can be accepted, plus a day to say "expired" rather than "unknown".
//
//   broker:quote:{id}              hash    q: Quote, r: the QuoteRequest it answered (protobuf bytes)
//   broker:quote:{id}:accepted     string  the idempotency key that accepted it (claimed once)
//   broker:accept:{key}            string  the quote an AcceptQuote idempotency key was used for
public sealed class QuoteStore(IConnectionMultiplexer redis)
{
    static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    IDatabase Db => redis.GetDatabase();

    static string Key(string id) => $"broker:quote:{id}";
    static string Claim(string id) => $"broker:quote:{id}:accepted";
    static string AcceptKey(string key) => $"broker:accept:{key}";

    public async Task SaveAsync(Quote quote, QuoteRequest request, TimeSpan lifetime)
    {
        var batch = Db.CreateBatch();
        var set = batch.HashSetAsync(Key(quote.Id), [new("q", quote.ToByteArray()), new("r", request.ToByteArray())]);
        var expire = batch.KeyExpireAsync(Key(quote.Id), lifetime + Grace);
        batch.Execute();
        await Task.WhenAll(set, expire);
    }

    public Task UpdateAsync(Quote quote) => Db.HashSetAsync(Key(quote.Id), "q", quote.ToByteArray());

    public async Task<(Quote Quote, QuoteRequest Request)?> GetAsync(string id)
    {
        var fields = await Db.HashGetAsync(Key(id), ["q", "r"]);
        if (fields[0].IsNull)
            return null;
        return (Quote.Parser.ParseFrom((byte[])fields[0]!), QuoteRequest.Parser.ParseFrom((byte[])fields[1]!));
    }

    // A quote is accepted once: the first key to claim it wins; returns the key that holds it.
    public async Task<string> ClaimAsync(string quoteId, string idempotencyKey)
    {
        if (await Db.StringSetAsync(Claim(quoteId), idempotencyKey, Grace + Grace, When.NotExists))
            return idempotencyKey;
        return (await Db.StringGetAsync(Claim(quoteId)))!;
    }

    // An idempotency key belongs to one quote; returns the quote that holds it.
    public async Task<string> ClaimKeyAsync(string idempotencyKey, string quoteId)
    {
        if (await Db.StringSetAsync(AcceptKey(idempotencyKey), quoteId, Grace, When.NotExists))
            return quoteId;
        return (await Db.StringGetAsync(AcceptKey(idempotencyKey)))!;
    }

    // An accept that failed half-way gives the quote and the key back.
    public Task UnclaimAsync(string quoteId, string idempotencyKey) =>
        Db.KeyDeleteAsync([Claim(quoteId), AcceptKey(idempotencyKey)]);
}
