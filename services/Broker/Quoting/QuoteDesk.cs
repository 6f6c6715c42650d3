using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Catalog;
using Marketplace.Broker.Domain;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Time;
using MassTransit;

namespace Marketplace.Broker.Quoting;

// Answers quote requests from the catalog read model alone: no call to the provider on this path.
public sealed class QuoteDesk(OfferCatalog catalog, QuoteStore store, AcceptStore accepts, VoucherLookup vouchers, MarketReference reference,
    QuotingPolicy policy, BrokerOptions options, TimeProvider clock, ILogger<QuoteDesk> logger)
{
    readonly Quoter _quoter = new(reference, policy);
    readonly Func<string, OfferCapacity?> _find = catalog.Find;
    OfferIndex? _index;

    // `avoid`: offers not to place on (a failover leaves the site in outage even before the catalog hears).
    // `kept`: the market's own quote (a failover's), stored with what the market keeps, not in the quote cache.
    public async Task<QuoteResponse> RequestAsync(QuoteRequest request, CancellationToken ct, IReadOnlySet<string>? avoid = null,
        bool kept = false)
    {
        if (!catalog.IsLoaded)
            await catalog.WhenLoadedAsync(ct); // a broker just started knows only the offers heard since
        var now = clock.GetUtcNow();
        var demand = QuoteRequestRules.Parse(request, reference, now, policy.Currency);
        var voucher = demand.VoucherId.Length > 0 ? await vouchers.TermsAsync(demand.VoucherId, demand.TenantId, ct) : null;
        var result = _quoter.Quote(demand, Index(), avoid is null ? _find : id => avoid.Contains(id) ? null : catalog.Find(id), voucher);
        if (result.Options.Count == 0)
            throw new ExhaustedException(result.Exclusions.Count == 0
                ? "no offer in the market matches the accelerator asked for"
                : "no site can take this job: " + string.Join("; ", result.Exclusions.Select(e => $"{e.DatacenterId}: {e.Reason}")));

        var response = new QuoteResponse();
        var expiresAt = Timestamp.FromDateTimeOffset(now + Lifetime(options, clock));
        var reply = NewId.NextSequentialGuid().ToString("N");
        for (var i = 0; i < result.Options.Count; i++)
            response.Options.Add(result.Options[i].ToProto(QuoteStore.IdOf(reply, i + 1), demand.TenantId, i + 1, expiresAt));
        // The reply does not wait for the write: Redis answers a write only once it is on disk (appendfsync
        // always), which would be most of a quote's latency, and a quote is re-derivable. A read of the quote
        // waits until its write is on the connection, and Redis runs one connection's commands in order, so
        // an accept sent after this reply finds the quote; one lost to a failed write is "not found", and the
        // tenant asks again.
        _ = SaveBehindAsync(reply, response.Options, request, kept);
        var currency = response.Options[0].Breakdown.Total.Currency;
        foreach (var exclusion in result.Exclusions)
            response.Exclusions.Add(exclusion.ToProto(currency));
        return response;
    }

    async Task SaveBehindAsync(string reply, IReadOnlyList<Quote> quotes, QuoteRequest request, bool kept)
    {
        try
        {
            await store.SaveAsync(reply, quotes, request, options.QuoteLifetime, kept);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Quotes {Reply} were answered but not stored; accepting them will say not found", reply);
        }
    }

    // Built again only when an offer arrives or its place changes; the version is read first, so a change
    // made while building is caught by the next quote.
    OfferIndex Index()
    {
        var version = catalog.PlacesVersion;
        var index = Volatile.Read(ref _index);
        if (index is null || index.Version != version)
            Volatile.Write(ref _index, index = new OfferIndex(catalog.Live(), reference, version));
        return index;
    }

    public async Task<Quote> GetAsync(string quoteId, CancellationToken ct)
    {
        var stored = await store.GetAsync(quoteId, ct) ?? throw new NotFoundException("quote", quoteId);
        var quote = stored.Quote;
        // The accept's record says whether it was accepted: the cache holds the quote as it was given out.
        if (await accepts.CommittedAsync(quoteId, clock.GetUtcNow().ToUnixTimeMilliseconds()))
            quote.State = QuoteState.Accepted;
        else if (quote.State == QuoteState.Open && IsExpired(quote))
            quote.State = QuoteState.Expired;
        return quote;
    }

    // A quote's life is wall-clock time, the tenant's to decide in, however fast the market clock runs:
    // this long in market time.
    public static TimeSpan Lifetime(BrokerOptions options, TimeProvider clock) =>
        clock is MarketClock market ? options.QuoteLifetime * market.Speed : options.QuoteLifetime;

    public bool IsExpired(Quote quote) => quote.ExpiresAt.ToDateTimeOffset() <= clock.GetUtcNow();
}
