using Marketplace.Broker.V1;

namespace Marketplace.Console.Exchange;

// One auction's result as the operator page charts it. Money in whole fen (the broker clears to the fen),
// times in Unix milliseconds. Unfilled lists the bids it did not fill and why; no tenant is named.
public sealed record AuctionView(
    string Id, string Cursor, long FirstHour, int Hours, long ClearedAt, int BidsIn, int BidsFilled,
    long AcceleratorHours, long SurplusFen, long BidderPaymentsFen, long ProviderReceiptsFen, long MovingCostFen,
    double OptimalityGap, IReadOnlyList<PriceView> Prices, IReadOnlyList<HubPriceView> HubPrices,
    IReadOnlyList<UnfilledBidView> Unfilled)
{
    public static AuctionView From(AuctionResult a)
    {
        var prices = a.Prices.Select(PriceView.From).ToList();
        return new AuctionView(a.Id, a.Cursor, Ms(a.FirstHour), a.Hours, Ms(a.ClearedAt), a.BidsIn, a.BidsFilled,
            a.AcceleratorHours, WholeFen.Of(a.Surplus), WholeFen.Of(a.BidderPayments), WholeFen.Of(a.ProviderReceipts),
            WholeFen.Of(a.MovingCost), a.OptimalityGap, prices, HubPriceView.Of(prices),
            a.Bids.Where(b => b.State != BidState.Filled)
                .Select(b => new UnfilledBidView(b.BidId, StateName(b.State), b.Outcome)).ToList());
    }

    static string StateName(BidState state) => state.ToString().ToLowerInvariant();

    internal static long Ms(Google.Protobuf.WellKnownTypes.Timestamp? t) =>
        t?.ToDateTimeOffset().ToUnixTimeMilliseconds() ?? 0;
}

// The clearing price of one model in one region and hour, and the accelerators it traded.
public sealed record PriceView(string Hub, string Region, string Model, long Hour, long PriceFen, int Accelerators)
{
    public static PriceView From(HubPrice p) =>
        new(p.HubId, p.RegionId, p.AcceleratorModel, AuctionView.Ms(p.Hour), WholeFen.Of(p.PricePerHour), p.Accelerators);
}

public sealed record UnfilledBidView(string BidId, string State, string Outcome);
