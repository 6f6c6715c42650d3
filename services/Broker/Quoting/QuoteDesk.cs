using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Catalog;
using Marketplace.Broker.Domain;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;
using MassTransit;

namespace Marketplace.Broker.Quoting;

// Answers quote requests from the catalog read model alone: no call to the provider on this path.
public sealed class QuoteDesk(OfferCatalog catalog, QuoteStore store, MarketReference reference,
    BrokerOptions options, TimeProvider clock)
{
    readonly Quoter _quoter = new(reference);

    public async Task<QuoteResponse> RequestAsync(QuoteRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var demand = QuoteRequestRules.Parse(request, reference, now);
        var ranked = _quoter.Rank(demand, catalog.Live(), options.MaxOptions);

        var response = new QuoteResponse();
        var expiresAt = Timestamp.FromDateTimeOffset(now + options.QuoteLifetime);
        foreach (var (option, rank) in ranked.Select((o, i) => (o, i + 1)))
        {
            var quote = ToQuote(option, demand.TenantId, rank, expiresAt);
            await store.SaveAsync(quote, options.QuoteLifetime);
            response.Options.Add(quote);
        }
        return response;
    }

    public async Task<Quote> GetAsync(string quoteId, CancellationToken ct)
    {
        var quote = await store.GetAsync(quoteId) ?? throw new NotFoundException("quote", quoteId);
        if (quote.State == QuoteState.Open && quote.ExpiresAt.ToDateTimeOffset() <= clock.GetUtcNow())
            quote.State = QuoteState.Expired;
        return quote;
    }

    static Quote ToQuote(QuoteOption option, string tenantId, int rank, Timestamp expiresAt)
    {
        var capacity = option.Offer;
        var currency = capacity.Offer.PricePerHour.Currency;
        var window = new TimeWindow
        {
            Start = Timestamp.FromDateTimeOffset(option.Start),
            End = Timestamp.FromDateTimeOffset(option.End),
        };
        var breakdown = new PriceBreakdown
        {
            Compute = Money.FromDecimal(option.Compute, currency),
            Transfer = Money.FromDecimal(0, currency),
            LatencyPenalty = Money.FromDecimal(0, currency),
            VoucherSubsidy = Money.FromDecimal(0, currency),
            Total = Money.FromDecimal(option.Compute, currency),
            GreenPowerShare = capacity.Datacenter.GreenPowerShare,
        };
        return new Quote
        {
            Id = NewId.NextSequentialGuid().ToString("N"),
            TenantId = tenantId,
            Window = window,
            Breakdown = breakdown,
            ExpiresAt = expiresAt,
            State = QuoteState.Open,
            Rank = rank,
            Placements =
            {
                new Placement
                {
                    OfferId = capacity.Offer.Id,
                    DatacenterId = capacity.Datacenter.Id,
                    ProviderId = capacity.Offer.ProviderId,
                    RegionId = capacity.Datacenter.RegionId,
                    HubId = capacity.Datacenter.HubId,
                    AcceleratorModel = capacity.Offer.AcceleratorModel,
                    Units = option.Units,
                    Window = window,
                    PricePerHour = capacity.Offer.PricePerHour,
                    Breakdown = breakdown,
                },
            },
        };
    }
}
