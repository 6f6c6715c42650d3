using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Cli.Connection;
using Marketplace.Cli.Output;
using Marketplace.Common.V1;
using Marketplace.Cli.Invocation;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Cli.Demo;

// The demo's second act: the three SMEs bid on the exchange and the market clock's next call auction clears
// them together, east and west priced apart.
public sealed class ExchangeAct(CommandContext context, TokenIssuer issuer, TimeSpan tokenLifetime)
{
    // Long enough for a few auctions on an accelerated clock; a bid still open then is reported as open.
    static readonly TimeSpan SettleWithin = TimeSpan.FromSeconds(30);

    readonly List<(SmeBid Script, MarketConnection Tenant, Bid Bid)> _placed = [];

    public async Task PlaceAsync(DateTimeOffset marketNow, CancellationToken ct)
    {
        var start = WholeHours.Floor(marketNow).AddHours(1);
        foreach (var script in DemoScript.Bids)
        {
            var tenant = context.Connect(issuer.Issue(MarketRoles.Tenant, script.Tenant, tokenLifetime));
            var demand = new QuoteRequest
            {
                TenantId = script.Tenant,
                Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddHours(12)) },
            };
            script.Describe(demand);
            var bid = await tenant.Exchange.PlaceBidAsync(new PlaceBidRequest
            {
                RequestId = $"demo-bid-{start:yyyyMMddTHH}",
                Demand = demand,
                LimitPrice = Money.FromDecimal(script.Limit, "CNY"),
                Divisible = script.Divisible,
                StandUntil = Timestamp.FromDateTimeOffset(start.AddHours(6)),
            }, tenant.Call(ct));
            context.Progress.Report($"{script.Tenant}: bid {bid.Id} at most {Cells.Amount(script.Limit)} an accelerator-hour");
            _placed.Add((script, tenant, bid));
        }
    }

    public async Task<ExchangeSummary> SettleAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + SettleWithin;
        var bids = new List<(SmeBid Script, MarketConnection Tenant, Bid Bid)>();
        while (true)
        {
            bids.Clear();
            foreach (var (script, tenant, placed) in _placed)
                bids.Add((script, tenant, await tenant.Exchange.GetBidAsync(new GetBidRequest { BidId = placed.Id }, tenant.Call(ct))));
            if (bids.All(b => b.Bid.State != BidState.Open) || DateTime.UtcNow > deadline)
                break;
            await Task.Delay(250, ct);
        }

        var auctionId = bids.Select(b => b.Bid.LastAuctionId).Where(id => id.Length > 0)
            .GroupBy(id => id).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault() ?? "";
        var auctions = await _placed[0].Tenant.Exchange.ListAuctionsAsync(new ListAuctionsRequest { PageSize = 50 }, _placed[0].Tenant.Call(ct));
        var auction = auctions.Auctions.FirstOrDefault(a => a.Id == auctionId) ?? new AuctionResult { Id = auctionId };

        var summaries = new List<BidSummary>();
        foreach (var (script, tenant, bid) in bids)
        {
            var lease = bid.LeaseId.Length > 0 ? await tenant.Broker.GetLeaseAsync(new GetLeaseRequest { LeaseId = bid.LeaseId }, tenant.Call(ct)) : null;
            var units = lease?.Allocations.Sum(a => (decimal)a.Units * (decimal)Cells.Hours(a.Window)) ?? 0;
            decimal? paid = units > 0
                ? Math.Round(lease!.Allocations.Sum(a => a.PricePerHour.ToDecimal() * a.Units * (decimal)Cells.Hours(a.Window)) / units, 2)
                : null;
            summaries.Add(new BidSummary(script.Tenant, script.Story, bid.Id, Cells.State(bid.State), script.Limit, bid.LastOutcome,
                bid.LeaseId, lease?.Allocations.Select(a => a.HubId.Length > 0 ? a.HubId : a.RegionId).Distinct().ToList() ?? [], paid));
        }
        var prices = auction.Prices.GroupBy(p => (p.HubId, p.Side, p.AcceleratorModel))
            .Select(g => new HubPriceSummary(g.Key.HubId, g.Key.Side, g.Key.AcceleratorModel,
                g.Sum(p => p.Accelerators) == 0 ? 0
                    : Math.Round(g.Sum(p => p.PricePerHour.ToDecimal() * p.Accelerators) / g.Sum(p => p.Accelerators), 2),
                g.Sum(p => (long)p.Accelerators)))
            .Where(p => p.AcceleratorHours > 0)
            .OrderBy(p => p.Side == "east" ? 0 : p.Side == "west" ? 1 : 2).ThenBy(p => p.HubId, StringComparer.Ordinal).ThenBy(p => p.Model, StringComparer.Ordinal)
            .ToList();
        return new ExchangeSummary(auction.Id, auction.Surplus?.ToDecimal() ?? 0, auction.MovingCost?.ToDecimal() ?? 0,
            auction.OptimalityGap, summaries, prices);
    }
}
