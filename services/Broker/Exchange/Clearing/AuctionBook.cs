namespace Marketplace.Broker.Exchange.Clearing;

// What one call auction clears: hourly slots from FirstHour on, every offer's free capacity as an ask,
// and the bids that stand. Slots are indices: slot t is the hour FirstHour + t.
public sealed record AuctionBook(DateTimeOffset FirstHour, int Slots, IReadOnlyList<Ask> Asks, IReadOnlyList<Bid> Bids);

// An offer's free capacity in each slot, at the least it will sell an accelerator-hour for (its posted
// price, or a reserve below it).
public sealed record Ask(string OfferId, string DataCenterId, string RegionId, string HubId, string Model,
    decimal CostPerHour, IReadOnlyList<int> Free)
{
    public Product Product => new(RegionId, Model);
}

// What a tenant will pay for, at most Limit per unit of Quantity (accelerator-hours, or FP16 PFLOPS-hours),
// on Accelerators at a time, within slots [FirstSlot, EndSlot). All-or-nothing: every accelerator for the
// whole block at one data center, or nothing; divisible: any part, spread over hours and regions.
public sealed record Bid(string Id, string TenantId, int Accelerators, decimal Quantity, decimal Limit,
    bool AllOrNothing, int FirstSlot, int EndSlot, IReadOnlyList<BidSite> Sites);

// An offer a bid may use (the quoting filters decided), and what using it costs beyond compute:
// UnitsPerHour: how much of the bid's quantity one accelerator-hour there delivers (1 for accelerator-hours);
// ExtraPerHour: the latency penalty per accelerator-hour; TransferOnce: moving the data there;
// BlockHours: how long an all-or-nothing block runs there (its minimum lease included); ReadySlot: the
// first slot the bid may use there, once its data has arrived (moving it takes as long to any site of a
// region, so a product's sites share it).
public sealed record BidSite(string OfferId, decimal UnitsPerHour, decimal ExtraPerHour, decimal TransferOnce, int BlockHours,
    int ReadySlot = 0);

// One price is set for each product in each slot: an accelerator model in a region.
public readonly record struct Product(string RegionId, string Model);
