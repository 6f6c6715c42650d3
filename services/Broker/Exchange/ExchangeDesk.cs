using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Catalog;
using Marketplace.Broker.Domain;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Grpc;
using Marketplace.ServiceDefaults.Time;
using MassTransit;

namespace Marketplace.Broker.Exchange;

// Bids placed, cancelled and listed, and the book as the market sees it.
public sealed class ExchangeDesk(BidStore bids, OfferCatalog catalog, ExchangeEvents events, MarketReference reference,
    QuotingPolicy policy, BrokerOptions options, TimeProvider clock)
{
    public const int MaxPageSize = 500;
    static readonly decimal MaxLimit = 1_000_000m;

    public async Task<Bid> PlaceAsync(PlaceBidRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (string.IsNullOrWhiteSpace(request.RequestId) || request.RequestId.Length > 128)
            throw new InvalidFieldException("request_id", "is required (at most 128 characters)");
        if (request.Demand is null)
            throw new InvalidFieldException("demand", "is required: what a quote request would say");
        var demand = request.Demand.Clone();
        demand.PriceCeilingPerHour = null; // the limit is the bid's ceiling
        try
        {
            QuoteRequestRules.Parse(demand, reference, now, policy.Currency);
        }
        catch (InvalidFieldException invalid)
        {
            throw new InvalidFieldException("demand." + invalid.Field, invalid.Message[(invalid.Field.Length + 2)..]);
        }
        if (request.LimitPrice is not { } limit || limit.Problem() is not null || limit.ToDecimal() <= 0 || limit.ToDecimal() > MaxLimit)
            throw new InvalidFieldException("limit_price", $"must be a positive amount up to {MaxLimit:0} {policy.Currency} per accelerator-hour (or PFLOPS-hour)");
        if (limit.Currency != policy.Currency)
            throw new InvalidFieldException("limit_price", $"must be in {policy.Currency}, not '{Brief.Of(limit.Currency)}'");
        if (request.StandUntil is { } until
            && (until.ToDateTimeOffset() <= now || until.ToDateTimeOffset() > demand.Window.End.ToDateTimeOffset()))
            throw new InvalidFieldException("stand_until", "must be in the future and no later than the window's end (unset: one auction only)");

        var open = (await bids.OfTenantAsync(demand.TenantId, 0, options.MaxOpenBidsPerTenant + 1, ct)).Count(b => b.State == BidState.Open);
        if (open >= options.MaxOpenBidsPerTenant)
            throw new ExhaustedException($"tenant '{demand.TenantId}' has {open} open bids, the most allowed; cancel one or wait for an auction");
        var bid = new Bid
        {
            Id = "bid-" + NewId.NextSequentialGuid().ToString("N"),
            TenantId = demand.TenantId,
            RequestId = request.RequestId,
            Demand = demand,
            LimitPrice = limit,
            Divisible = request.Divisible && demand.Workload != WorkloadKind.Training,
            StandUntil = request.StandUntil,
            State = BidState.Open,
            PlacedAt = Timestamp.FromDateTimeOffset(now),
        };
        var (stored, existed) = await bids.PlaceAsync(bid, events.Placed, now.ToUnixTimeMilliseconds());
        if (existed && !SameBid(stored, bid))
            throw new InvalidFieldException("request_id", "was used for a different bid");
        return stored;
    }

    static bool SameBid(Bid a, Bid b) =>
        a.Demand.Equals(b.Demand) && a.LimitPrice.Equals(b.LimitPrice) && a.Divisible == b.Divisible && Equals(a.StandUntil, b.StandUntil);

    public async Task<Bid> GetAsync(string bidId, CancellationToken ct) =>
        await bids.GetAsync(bidId, ct) ?? throw new NotFoundException("bid", bidId);

    public async Task<Bid> CancelAsync(string bidId, CancellationToken ct)
    {
        var bid = await GetAsync(bidId, ct);
        if (bid.State == BidState.Cancelled)
            return bid;
        if (bid.State != BidState.Open)
            throw new PreconditionException($"bid '{bidId}' is {bid.State.ToString().ToLowerInvariant()}; only an open bid can be cancelled");
        bid.State = BidState.Cancelled;
        bid.ClosedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        await bids.SaveAsync(bid, events.Expired(bid, "cancelled by the tenant"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return bid;
    }

    public async Task<ListBidsResponse> ListAsync(ListBidsRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.TenantId))
            throw new InvalidFieldException("tenant_id", "is required");
        var page = Page.From(request.PageSize, request.PageToken, defaultSize: 50, MaxPageSize);
        var onPage = await bids.OfTenantAsync(request.TenantId, (int)page.Offset, page.Size, ct);
        var response = new ListBidsResponse { NextPageToken = page.NextToken(onPage.Count) };
        response.Bids.AddRange(onPage.Where(b => request.State == BidState.Unspecified || b.State == request.State));
        return response;
    }

    // Free capacity at each price by hub, region, model and hour; open bids' accelerators at each limit by
    // the model they name and hour. No tenant is named.
    public async Task<OrderBook> BookAsync(GetOrderBookRequest request, CancellationToken ct)
    {
        if (request.Hours < 0 || request.Hours > options.AuctionHours)
            throw new InvalidFieldException("hours", $"must be 0 (the auction's {options.AuctionHours}) to {options.AuctionHours}");
        var hours = request.Hours == 0 ? options.AuctionHours : request.Hours;
        var firstHour = WholeHours.Floor(clock.GetUtcNow()).AddHours(1);
        var book = new OrderBook { FirstHour = Timestamp.FromDateTimeOffset(firstHour) };
        var asks = new Dictionary<(string Hub, string Region, string Model, int Slot), SortedDictionary<decimal, int>>();
        foreach (var capacity in catalog.Live().Where(c => c.Offer.State == Provider.V1.OfferState.Active))
        {
            var ask = AuctionBookBuilder.AskOf(capacity, firstHour, hours);
            for (var slot = 0; slot < hours; slot++)
            {
                if (ask.Free[slot] <= 0)
                    continue;
                var key = (ask.HubId, ask.RegionId, ask.Model, slot);
                var levels = asks.TryGetValue(key, out var found) ? found : asks[key] = new SortedDictionary<decimal, int>();
                levels[ask.CostPerHour] = levels.GetValueOrDefault(ask.CostPerHour) + ask.Free[slot];
            }
        }
        foreach (var ((hub, region, model, slot), levels) in asks.OrderBy(a => a.Key.Slot).ThenBy(a => a.Key.Hub, StringComparer.Ordinal)
                     .ThenBy(a => a.Key.Region, StringComparer.Ordinal).ThenBy(a => a.Key.Model, StringComparer.Ordinal))
        {
            var depth = new AskDepth { HubId = hub, RegionId = region, AcceleratorModel = model, Hour = Hour(firstHour, slot) };
            depth.Levels.AddRange(levels.Select(l => new BookLevel { PricePerHour = Money.FromDecimal(l.Key, policy.Currency), Accelerators = l.Value }));
            book.Asks.Add(depth);
        }

        var open = (await bids.OpenAsync(ct)).Where(b => b.State == BidState.Open).ToList();
        book.OpenBids = open.Count;
        var wanted = new Dictionary<(string Model, int Slot), SortedDictionary<decimal, int>>();
        foreach (var bid in open.Where(b => b.Demand.AcceleratorHours is not null))
        {
            var named = bid.Demand.AcceleratorHours.AcceleratorModel is { Length: > 0 } exact ? exact : bid.Demand.AcceleratorHours.AcceleratorClass;
            var from = (int)Math.Max(0, Math.Ceiling((bid.Demand.Window.Start.ToDateTimeOffset() - firstHour).TotalHours));
            var to = (int)Math.Min(hours, Math.Floor((bid.Demand.Window.End.ToDateTimeOffset() - firstHour).TotalHours));
            var limit = bid.LimitPrice.ToDecimal();
            for (var slot = from; slot < to; slot++)
            {
                var levels = wanted.TryGetValue((named, slot), out var found) ? found : wanted[(named, slot)] = new SortedDictionary<decimal, int>();
                levels[limit] = levels.GetValueOrDefault(limit) + bid.Demand.Accelerators;
            }
        }
        foreach (var ((model, slot), levels) in wanted.OrderBy(w => w.Key.Slot).ThenBy(w => w.Key.Model, StringComparer.Ordinal))
        {
            var depth = new BidDepth { AcceleratorModel = model, Hour = Hour(firstHour, slot) };
            depth.Levels.AddRange(levels.Reverse().Select(l => new BookLevel { PricePerHour = Money.FromDecimal(l.Key, policy.Currency), Accelerators = l.Value }));
            book.Bids.Add(depth);
        }
        return book;
    }

    static Timestamp Hour(DateTimeOffset firstHour, int slot) => Timestamp.FromDateTimeOffset(firstHour.AddHours(slot));
}
