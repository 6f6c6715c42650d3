using Google.Protobuf;
using Marketplace.Broker.V1;
using StackExchange.Redis;

namespace Marketplace.Broker.Storage;

// Quotes live as long as they can be accepted, plus a minute to say "expired" rather than "unknown":
// they are re-derivable, and a tenant asking many must not fill the store. A reply is one write: its
// request once, and each option under its rank. Replies' writes go to Redis together (QuoteWriteQueue),
// the quote cache's Redis (QuoteCache). The market's own quotes (an auction's match, a failover's
// placement) go to the market's Redis instead: no tenant is there to ask again when they are lost.
// Whether a quote was accepted is the accept's record, on the market's Redis.
//
//   broker:{k}:quote:{reply}           hash    r: the QuoteRequest answered, 1..n: the options (protobuf bytes)
// A quote's id is "{reply}-{rank}". Who accepts a quote, and how far, is AcceptStore's.
public sealed class QuoteStore(QuoteCache cache, IConnectionMultiplexer market)
{
    static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    readonly QuoteWriteQueue _cached = new(cache.Redis);
    readonly QuoteWriteQueue _kept = new(market);

    public static string IdOf(string replyId, int rank) => $"{replyId}-{rank}";

    // The field of a quote's rank, as Locate reads it from the quote's id.
    static readonly string[] RankFields = Enumerable.Range(0, 17).Select(rank => rank.ToString()).ToArray();

    static string RankField(int rank) => rank < RankFields.Length ? RankFields[rank] : rank.ToString();

    // Where a quote is kept: its reply's key and its rank's field; null for an id no reply gave out.
    public static (string Key, string Field)? Locate(string quoteId)
    {
        var dash = quoteId.LastIndexOf('-');
        return dash > 0 && dash < quoteId.Length - 1 && int.TryParse(quoteId.AsSpan(dash + 1), out var rank) && rank > 0
            ? ($"{BrokerKeys.Tag}:quote:{quoteId[..dash]}", quoteId[(dash + 1)..])
            : null;
    }

    // `kept`: the market's own quote, written where the market keeps what it commits.
    public Task SaveAsync(string replyId, IReadOnlyList<Quote> quotes, QuoteRequest request, TimeSpan lifetime, bool kept = false)
    {
        var key = $"{BrokerKeys.Tag}:quote:{replyId}";
        var fields = new HashEntry[quotes.Count + 1];
        fields[0] = new HashEntry("r", request.ToByteArray());
        for (var i = 0; i < quotes.Count; i++)
            fields[i + 1] = new HashEntry(RankField(quotes[i].Rank), quotes[i].ToByteArray());
        return (kept && cache.IsSeparate ? _kept : _cached).WriteAsync(key, fields, lifetime + Grace);
    }

    public async Task<(Quote Quote, QuoteRequest Request)?> GetAsync(string id, CancellationToken ct = default)
    {
        if (Locate(id) is not var (key, field))
            return null;
        if (!cache.IsSeparate)
            return await ReadAsync(_cached, cache.Redis, key, field, ct);
        // The cache first (nearly every quote is there); a cache away hides no quote the market kept.
        try
        {
            if (await ReadAsync(_cached, cache.Redis, key, field, ct) is { } cached)
                return cached;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            if (await ReadAsync(_kept, market, key, field, ct) is { } kept)
                return kept;
            throw;
        }
        return await ReadAsync(_kept, market, key, field, ct);
    }

    static async Task<(Quote, QuoteRequest)?> ReadAsync(QuoteWriteQueue writes, IConnectionMultiplexer redis, string key, string field,
        CancellationToken ct)
    {
        await writes.HandedAsync(key);
        var fields = await redis.GetDatabase().HashGetAsync(key, [field, "r"]).WaitAsync(ct);
        if (fields[0].IsNull)
            return null;
        return (Quote.Parser.ParseFrom((byte[])fields[0]!), QuoteRequest.Parser.ParseFrom((byte[])fields[1]!));
    }
}
