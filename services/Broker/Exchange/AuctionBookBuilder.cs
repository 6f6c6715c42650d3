using Marketplace.Broker.Domain;
using Marketplace.Broker.Exchange.Clearing;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.Common.V1;
using Marketplace.ServiceDefaults.Time;
using BidProto = Marketplace.Broker.V1.Bid;

namespace Marketplace.Broker.Exchange;

// The auction's book from the market as the broker sees it: every live offer's free capacity in each slot
// is an ask at its reserve price (the posted price when it has none), and leased interruptible capacity an
// ask at its lease's price plus a premium; each open bid may use the offers the quoting filters allow it,
// costed by the quoting rules (latency penalty, moving the data).
public sealed class AuctionBookBuilder(MarketReference reference, QuotingPolicy policy)
{
    // A bid is given at most this many sites, best margin first: enough to choose from, a model that stays small.
    const int SitesPerBid = 40;

    readonly Quoter _quoter = new(reference, policy);
    readonly SiteCosting _costing = new(reference, policy);

    public sealed record BidInBook(BidProto Proto, QuoteDemand Demand);

    public sealed record Built(AuctionBook Book, IReadOnlyDictionary<string, BidInBook> Bids,
        IReadOnlyDictionary<string, OfferCapacity> Offers, IReadOnlyList<BidProto> OutsideHorizon);

    // preemptible: leased interruptible capacity a bid that pays more may take (PreemptibleCapacity), of
    // these offers; none of a bid's own tenant.
    public Built Build(IReadOnlyList<(BidProto Bid, QuoteDemand Demand)> open, IReadOnlyList<OfferCapacity> live,
        DateTimeOffset firstHour, int hours, IReadOnlyList<Preemptible>? preemptible = null)
    {
        var offers = live.Where(c => c.Offer.State == OfferState.Active && reference.Accelerators.ContainsKey(c.Offer.AcceleratorModel))
            .ToDictionary(c => c.Offer.Id);
        var asks = offers.Values.Select(c => AskOf(c, firstHour, hours)).Where(a => a.Free.Any(f => f > 0)).ToList();
        var taken = (preemptible ?? []).Where(p => offers.ContainsKey(PreemptibleCapacity.OfferOf(p.Ask.OfferId))).ToList();
        asks.AddRange(taken.Select(p => p.Ask));
        var leased = taken.ToLookup(p => PreemptibleCapacity.OfferOf(p.Ask.OfferId));
        var asked = asks.Select(a => PreemptibleCapacity.OfferOf(a.OfferId)).ToHashSet();
        var free = asks.Where(a => !PreemptibleCapacity.IsPreemptible(a.OfferId)).Select(a => a.OfferId).ToHashSet();
        var bids = new List<Bid>();
        var inBook = new Dictionary<string, BidInBook>();
        var outside = new List<BidProto>();
        foreach (var (proto, demand) in open)
        {
            var first = Math.Max(0, (int)Math.Ceiling((demand.EarliestStart - firstHour).TotalHours - 1e-9));
            var end = Math.Min(hours, (int)Math.Floor((demand.Deadline - firstHour).TotalHours + 1e-9));
            if (first >= end)
            {
                outside.Add(proto);
                continue;
            }
            var bid = BidOf(proto, demand, first, end, offers.Values.Where(c => asked.Contains(c.Offer.Id)), firstHour, free, leased);
            bids.Add(bid);
            inBook[bid.Id] = new BidInBook(proto, demand);
        }
        return new Built(new AuctionBook(firstHour, hours, asks, bids), inBook, offers, outside);
    }

    // An offer's free capacity in each of `hours` slots from firstHour, at its ask price; its hub, or its
    // region outside the eight hubs.
    public static Ask AskOf(OfferCapacity capacity, DateTimeOffset firstHour, int hours)
    {
        var free = new int[hours];
        var from = firstHour.ToUnixTimeSeconds();
        foreach (var run in capacity.Free)
            for (var h = 0; h < run.Hours; h++)
            {
                var t = (run.Start.Seconds + h * 3600L - from) / 3600;
                if (t >= 0 && t < hours && (run.Start.Seconds + h * 3600L - from) % 3600 == 0)
                    free[t] = Math.Max(0, run.Free);
            }
        return AskAt(capacity, capacity.Offer.Id, AskPrice(capacity.Offer), free);
    }

    // An ask at this offer's site: its hub, or its region outside the eight hubs.
    public static Ask AskAt(OfferCapacity capacity, string askId, decimal costPerHour, int[] free)
    {
        var site = capacity.Datacenter;
        return new Ask(askId, site.Id, site.RegionId, string.IsNullOrEmpty(site.HubId) ? site.RegionId : site.HubId,
            capacity.Offer.AcceleratorModel, costPerHour, free);
    }

    // The least the provider takes in the auction: its reserve, below the posted price, or the posted price.
    public static decimal AskPrice(Offer offer)
    {
        var posted = offer.PricePerHour.ToDecimal();
        return offer.ReservePricePerHour is { } reserve && reserve.ToDecimal() < posted ? reserve.ToDecimal() : posted;
    }

    // The first slot a site can run the bid: its data arrives there, as a quote waits for it, from the
    // bid's earliest start on.
    static int ReadySlot(QuoteDemand demand, double transferHours, DateTimeOffset firstHour) =>
        Math.Max(0, (int)Math.Ceiling((WholeHours.Ceiling(demand.EarliestStart.AddHours(transferHours)) - firstHour).TotalHours - 1e-9));

    Bid BidOf(BidProto proto, QuoteDemand demand, int first, int end, IEnumerable<OfferCapacity> offers, DateTimeOffset firstHour,
        IReadOnlySet<string> free, ILookup<string, Preemptible> leased)
    {
        var limit = proto.LimitPrice.ToDecimal();
        var quantity = demand.AcceleratorHours is { } accHours ? accHours : (decimal)demand.Fp16PflopsHours!.Value;
        var sites = new List<(BidSite Site, decimal Margin)>();
        foreach (var capacity in offers)
        {
            if (_quoter.Usable(demand, capacity) is not { } model)
                continue;
            var unitsPerHour = demand.AcceleratorHours is null ? (decimal)model.EffectiveTflops / 1000 : 1;
            var extra = _costing.LatencyPerAcceleratorHour(demand, _costing.RoundTripMs(demand, capacity.Datacenter));
            var (transferHours, transfer) = _costing.Transfer(demand, capacity.Datacenter);
            var blockHours = Math.Max(demand.HoursOn(model), capacity.Offer.MinLeaseHours);
            var worth = limit * unitsPerHour - extra - transfer * unitsPerHour / quantity;
            var ready = ReadySlot(demand, transferHours, firstHour);
            if (free.Contains(capacity.Offer.Id) && worth - AskPrice(capacity.Offer) > 0)
                sites.Add((new BidSite(capacity.Offer.Id, unitsPerHour, extra, transfer, blockHours, ready), worth - AskPrice(capacity.Offer)));
            foreach (var other in leased[capacity.Offer.Id].Where(p => p.TenantId != proto.TenantId && worth - p.Ask.CostPerHour > 0))
                sites.Add((new BidSite(other.Ask.OfferId, unitsPerHour, extra, transfer, blockHours, ready), worth - other.Ask.CostPerHour));
        }
        var allOrNothing = !proto.Divisible || demand.Workload == WorkloadKind.Training;
        return new Bid(proto.Id, proto.TenantId, demand.Accelerators, quantity, limit, allOrNothing, first, end,
            sites.OrderByDescending(s => s.Margin).ThenBy(s => s.Site.OfferId, StringComparer.Ordinal).Take(SitesPerBid)
                .Select(s => s.Site).ToList());
    }
}
