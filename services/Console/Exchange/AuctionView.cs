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
        return new AuctionView(a.Id, a.Cursor, UnixMs.Of(a.FirstHour), a.Hours, UnixMs.Of(a.ClearedAt), a.BidsIn, a.BidsFilled,
            a.AcceleratorHours, WholeFen.Of(a.Surplus), WholeFen.Of(a.BidderPayments), WholeFen.Of(a.ProviderReceipts),
            WholeFen.Of(a.MovingCost), a.OptimalityGap, prices, HubPriceView.Of(prices),
            a.Bids.Where(b => b.State != BidState.Filled)
                .Select(b => new UnfilledBidView(b.BidId, StateName(b.State), b.Outcome)).ToList());
    }

    static string StateName(BidState state) => state.ToString().ToLowerInvariant();
}
