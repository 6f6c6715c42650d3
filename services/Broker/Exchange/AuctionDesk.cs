using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.Catalog;
using Marketplace.Broker.Domain;
using Marketplace.Broker.Exchange.Clearing;
using Marketplace.Broker.Storage;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Time;
using BookBid = Marketplace.Broker.Exchange.Clearing.Bid;

namespace Marketplace.Broker.Exchange;

// Runs one call auction: the open bids against the catalog for AuctionHours slots from the next whole
// hour, cleared at the optimum (CallAuction), matches made leases, every bid told what happened to it,
// and the result kept and published. One at a time in this process.
public sealed class AuctionDesk(BidStore bids, OfferCatalog catalog, MatchLeases matches, ExchangeEvents events, LeaseStore leases,
    MarketReference reference, QuotingPolicy policy, BrokerOptions options, TimeProvider clock, ILogger<AuctionDesk> logger)
{
    // A bid's outcome while its match is being made a lease.
    const string Matching = "matching: its lease is being made";

    readonly SemaphoreSlim _one = new(1, 1);
    readonly AuctionBookBuilder _builder = new(reference, policy);
    readonly CallAuction _auction = new(new AuctionRules(TimeLimit: options.AuctionSolveLimit));

    // Whether the market clock calls for an auction of the slots from this hour that has not run yet.
    public async Task<bool> IsDueAsync(DateTimeOffset firstHour) =>
        options.AuctionEveryHours > 0
        && firstHour.ToUnixTimeSeconds() / 3600 % options.AuctionEveryHours == 0
        && !await bids.AnyRunAsync(firstHour);

    // scheduled: the market clock's run, which records nothing when no bid is open (a broker starting on
    // an empty book publishes no empty auction) and leaves the hour passed; an operator's run always clears
    // and records.
    public async Task<AuctionResult?> RunAsync(bool scheduled, CancellationToken ct)
    {
        await catalog.WhenLoadedAsync(ct); // never clear against a catalog still being loaded
        await _one.WaitAsync(ct);
        try
        {
            // Once begun, an auction runs on the broker's own budget: a caller that gives up must not leave
            // leases made and bids not told.
            var open = await bids.OpenAsync(CancellationToken.None);
            if (scheduled && open.Count == 0)
            {
                // A bid placed later this hour waits for the next auction hour, as in any call auction.
                await bids.PassAsync(WholeHours.Floor(clock.GetUtcNow()).AddHours(1));
                return null;
            }
            return await ClearAsync(open, CancellationToken.None);
        }
        finally
        {
            _one.Release();
        }
    }

    async Task<AuctionResult> ClearAsync(IReadOnlyList<V1.Bid> stored, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var now = clock.GetUtcNow();
        var firstHour = WholeHours.Floor(now).AddHours(1);
        var id = $"{firstHour:yyyy-MM-ddTHH}.{await bids.NextRunAsync(firstHour)}";
        var open = new List<(V1.Bid, QuoteDemand)>();
        foreach (var bid in stored)
        {
            if (bid.State != BidState.Open)
                continue;
            if (bid.LastOutcome == Matching && await matches.MadeAsync(bid.LastAuctionId, bid.Id, ct) is { } made)
            {
                await FilledAsync(bid, bid.LastAuctionId, made);
                continue;
            }
            if (bid.StandUntil is { } until && until.ToDateTimeOffset() <= now)
            {
                await ExpireAsync(bid, id, "stood until its stand_until without being filled");
                continue;
            }
            try
            {
                open.Add((bid, QuoteRequestRules.Parse(bid.Demand, reference, bid.PlacedAt.ToDateTimeOffset(), policy.Currency)));
            }
            catch (MarketException invalid)
            {
                await ExpireAsync(bid, id, "no longer valid: " + invalid.Message);
            }
        }

        var live = catalog.Live().ToList();
        var preemptible = PreemptibleCapacity.Of(await InterruptibleLeasesAsync(live, ct), live.ToDictionary(c => c.Offer.Id), firstHour,
            options.AuctionHours, now + options.PreemptionNotice, options.PreemptionPremiumPercent);
        var built = _builder.Build(open, live, firstHour, options.AuctionHours, preemptible);
        var victims = preemptible.ToDictionary(p => p.Ask.OfferId);
        var outcome = await Task.Run(() => _auction.Clear(built.Book), ct);
        var result = new AuctionResult
        {
            Id = id, FirstHour = Timestamp.FromDateTimeOffset(firstHour), Hours = options.AuctionHours,
            ClearedAt = Timestamp.FromDateTimeOffset(now), BidsIn = built.Bids.Count,
            Surplus = Yuan(outcome.Surplus), BidderPayments = Yuan(outcome.BidderPayments),
            ProviderReceipts = Yuan(outcome.ProviderReceipts), MovingCost = Yuan(outcome.MovingCost),
            OptimalityGap = outcome.Gap, Rounds = outcome.Rounds,
        };
        result.Prices.AddRange(outcome.Prices.Select(p => new HubPrice
        {
            HubId = p.HubId, RegionId = p.RegionId, AcceleratorModel = p.Model,
            Hour = Timestamp.FromDateTimeOffset(firstHour.AddHours(p.Slot)), PricePerHour = Yuan(p.Price), Accelerators = p.Volume,
            Side = reference.Hubs.TryGetValue(p.HubId, out var hub) ? hub.Side.ToString().ToLowerInvariant() : "",
        }));

        foreach (var fills in outcome.Fills.GroupBy(f => f.BidId))
            result.Bids.Add(await SettleFilledAsync(id, built, fills.ToList(), victims, firstHour, ct));
        foreach (var unfilled in outcome.Unfilled)
            result.Bids.Add(await SettleUnfilledAsync(id, built.Bids[unfilled.BidId].Proto, unfilled.Reason));
        foreach (var bid in built.OutsideHorizon)
            result.Bids.Add(await SettleUnfilledAsync(id, bid, $"its window is outside the {options.AuctionHours} hours cleared"));
        result.BidsFilled = result.Bids.Count(b => b.State == BidState.Filled);
        result.AcceleratorHours = result.Bids.Where(b => b.State == BidState.Filled).Sum(b => b.AcceleratorHours);
        result.SolveSeconds = Math.Round(started.Elapsed.TotalSeconds, 3);
        result.Cursor = await bids.AddAuctionAsync(result, events.Cleared(result), NowMs());
        logger.LogInformation("Auction {Auction}: {Filled} of {Bids} bids filled, {Prices} prices, surplus {Surplus}, gap {Gap}, {Seconds} s",
            id, result.BidsFilled, result.BidsIn, result.Prices.Count, outcome.Surplus, outcome.Gap, result.SolveSeconds);
        return result;
    }

    // The live leases with hours on interruptible capacity: a bid that pays more may take those hours.
    async Task<List<Lease>> InterruptibleLeasesAsync(IReadOnlyList<OfferCapacity> live, CancellationToken ct)
    {
        var interruptible = live.Where(c => c.Offer.Interruptible).Select(c => c.Offer.Id).ToHashSet();
        if (interruptible.Count == 0)
            return [];
        var found = await Task.WhenAll((await leases.LiveAsync()).Select(id => leases.GetAsync(id, ct)));
        return found.OfType<Lease>().Where(l => l.Allocations.Any(a => interruptible.Contains(a.OfferId))).ToList();
    }

    async Task<BidResult> SettleFilledAsync(string auctionId, AuctionBookBuilder.Built built, List<Fill> fills,
        IReadOnlyDictionary<string, Preemptible> victims, DateTimeOffset firstHour, CancellationToken ct)
    {
        var inBook = built.Bids[fills[0].BidId];
        var bid = inBook.Proto;
        var hours = fills.Sum(f => (long)f.Units);
        // Recorded before the lease is made: a run cut off between the two leaves a mark the next run
        // follows to the lease (MadeAsync), so a bid is never leased twice.
        bid.LastAuctionId = auctionId;
        bid.LastOutcome = Matching;
        await bids.SaveAsync(bid, null, NowMs());
        try
        {
            var lease = await matches.LeaseAsync(auctionId, inBook, fills, built.Offers, victims, firstHour, ct);
            await FilledAsync(bid, auctionId, lease);
            return new BidResult { BidId = bid.Id, State = bid.State, LeaseId = lease.Id, Outcome = "filled", AcceleratorHours = hours };
        }
        catch (MarketException refused)
        {
            // Capacity moved between the book and the hold: the bid stays open for the next auction.
            bid.LastOutcome = "retried next auction: the hold failed (" + refused.Message + ")";
            await bids.SaveAsync(bid, null, NowMs());
            return new BidResult { BidId = bid.Id, State = bid.State, Outcome = bid.LastOutcome };
        }
    }

    async Task FilledAsync(V1.Bid bid, string auctionId, Lease lease)
    {
        bid.State = BidState.Filled;
        bid.LeaseId = lease.Id;
        bid.LastAuctionId = auctionId;
        bid.ClosedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        bid.LastOutcome = $"filled: {lease.Allocations.Sum(a => (long)a.Units * (long)(a.Window.End - a.Window.Start).ToTimeSpan().TotalHours)} accelerator-hours, lease {lease.Id}";
        await bids.SaveAsync(bid, events.Filled(bid, auctionId), NowMs());
    }

    async Task<BidResult> SettleUnfilledAsync(string auctionId, V1.Bid bid, string reason)
    {
        bid.LastAuctionId = auctionId;
        bid.LastOutcome = reason;
        if (bid.StandUntil is null)
            await ExpireAsync(bid, auctionId, reason);
        else
            await bids.SaveAsync(bid, null, NowMs());
        return new BidResult { BidId = bid.Id, State = bid.State, Outcome = reason };
    }

    async Task ExpireAsync(V1.Bid bid, string auctionId, string reason)
    {
        bid.State = BidState.Expired;
        bid.LastAuctionId = auctionId;
        bid.LastOutcome = reason;
        bid.ClosedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        await bids.SaveAsync(bid, events.Expired(bid, reason), NowMs());
    }

    Money Yuan(decimal amount) => Money.FromDecimal(Math.Round(amount, 2, MidpointRounding.AwayFromZero), policy.Currency);

    static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
