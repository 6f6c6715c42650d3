using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Domain;
using Marketplace.Broker.Exchange.Clearing;
using Marketplace.Broker.Failover;
using Marketplace.Broker.Leasing;
using Marketplace.Broker.Quoting;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Pricing;
using Marketplace.Provider.V1;
using Marketplace.Reference;

namespace Marketplace.Broker.Exchange;

// A bid's fills become a lease through the accept protocol, like any accepted quote: the fills are written
// as a quote at the clearing prices (one placement per run of hours at one offer, units and price), then
// accepted under a key made of the auction and the bid, so a re-run of the same step gets the same lease.
// Hours sold off another lease's interruptible capacity are taken from it first, with its notice.
public sealed class MatchLeases(LeaseDesk leases, LeaseStore leaseStore, QuoteStore quotes, VoucherLookup vouchers, FailoverDesk preemption,
    MarketReference reference, QuotingPolicy policy, BrokerOptions options, TimeProvider clock, ILogger<MatchLeases> logger)
{
    readonly SiteCosting _costing = new(reference, policy);

    public async Task<Lease> LeaseAsync(string auctionId, AuctionBookBuilder.BidInBook bid, IReadOnlyList<Fill> fills,
        IReadOnlyDictionary<string, OfferCapacity> offers, IReadOnlyDictionary<string, Preemptible> victims, DateTimeOffset firstHour,
        CancellationToken ct)
    {
        var demand = bid.Demand;
        var runs = Runs(fills).ToList();
        // Leased interruptible hours sold to this bid leave their lease first, from the first hour sold.
        foreach (var taken in runs.Where(r => victims.ContainsKey(r.OfferId)).GroupBy(r => r.OfferId))
        {
            var victim = victims[taken.Key];
            await preemption.PreemptAsync(victim.LeaseId, victim.HoldId, firstHour.AddHours(taken.Min(r => r.Start)), auctionId, bid.Proto.Id, ct);
        }
        var parts = runs.Select(run =>
        {
            var capacity = offers[PreemptibleCapacity.OfferOf(run.OfferId)].Clone();
            capacity.Offer.PricePerHour = Money.FromDecimal(run.Price, capacity.Offer.PricePerHour.Currency);
            return _costing.Price(demand, capacity, reference.Accelerators[capacity.Offer.AcceleratorModel], run.Units,
                firstHour.AddHours(run.Start), run.Hours);
        }).ToList();
        var voucher = await VoucherAsync(demand, ct);
        var reply = ReplyOf(auctionId, bid.Proto.Id);
        var quote = QuotePlan.Priced(parts, voucher).ToProto(QuoteStore.IdOf(reply, 1), demand.TenantId, 1,
            Timestamp.FromDateTimeOffset(clock.GetUtcNow() + QuoteDesk.Lifetime(options, clock)));
        var request = bid.Proto.Demand.Clone();
        request.PriceCeilingPerHour = null;
        await quotes.SaveAsync(reply, [quote], request, options.QuoteLifetime, kept: true);
        return await leases.AcceptAsync(quote.Id, $"auction:{auctionId}:{bid.Proto.Id}", ct);
    }

    // The lease an auction's match of this bid made, if it got that far: a run cut off between the lease
    // and the bid's update left the bid open with only this to show for it.
    public Task<Lease?> MadeAsync(string auctionId, string bidId, CancellationToken ct) =>
        leaseStore.GetAsync(LeaseStore.IdFor(QuoteStore.IdOf(ReplyOf(auctionId, bidId), 1)), ct);

    static string ReplyOf(string auctionId, string bidId) => $"{bidId}.{auctionId.Replace('-', '_')}";

    // The voucher's terms for the quote's breakdown; billing applies the voucher to the lease whatever this says.
    async Task<VoucherCover?> VoucherAsync(QuoteDemand demand, CancellationToken ct)
    {
        if (demand.VoucherId.Length == 0)
            return null;
        try
        {
            return await vouchers.TermsAsync(demand.VoucherId, demand.TenantId, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Voucher {Voucher} terms unavailable for an auction match; its quote shows no subsidy", demand.VoucherId);
            return null;
        }
    }

    sealed record Run(string OfferId, int Start, int Hours, int Units, decimal Price);

    // Consecutive hours at one offer with the same units and price are one placement.
    static IEnumerable<Run> Runs(IReadOnlyList<Fill> fills)
    {
        Run? open = null;
        foreach (var fill in fills.OrderBy(f => f.OfferId, StringComparer.Ordinal).ThenBy(f => f.Slot))
        {
            if (open is not null && open.OfferId == fill.OfferId && open.Start + open.Hours == fill.Slot
                && open.Units == fill.Units && open.Price == fill.Price)
            {
                open = open with { Hours = open.Hours + 1 };
                continue;
            }
            if (open is not null)
                yield return open;
            open = new Run(fill.OfferId, fill.Slot, 1, fill.Units, fill.Price);
        }
        if (open is not null)
            yield return open;
    }
}
