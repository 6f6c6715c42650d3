using Marketplace.Broker.Domain;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Domain.Tests;

// Hand-made catalogs: data centers and their offers' free capacity, for tests that need exact numbers.
static class TestMarket
{
    public static readonly DateTimeOffset T0 = Valid.Monday;

    public static DataCenter DataCenter(string id, string region, string provider = "provider-a", decimal transferInPerGb = 0) => new()
    {
        Id = id, ProviderId = provider, RegionId = region, Pue = 1.2, GreenPowerShare = 0.5,
        TransferInPricePerGb = Money.FromDecimal(transferInPerGb, "CNY"),
    };

    // An offer with `free` units through one run of `hours` from T0 + fromHour.
    public static OfferCapacity Offer(DataCenter site, string id, string model, decimal price, int free,
        int minLeaseHours = 1, int hours = 30 * 24, int fromHour = 0) =>
        Offer(site, id, model, price, minLeaseHours, false,
            new FreeCapacityRun { Start = Valid.At(T0.AddHours(fromHour)), Hours = hours, Free = free });

    public static OfferCapacity Offer(DataCenter site, string id, string model, decimal price, int minLeaseHours,
        bool interruptible, params FreeCapacityRun[] free) => new()
    {
        Offer = new Offer
        {
            Id = id, DatacenterId = site.Id, ProviderId = site.ProviderId, AcceleratorModel = model, Count = 1024,
            State = OfferState.Active, PricePerHour = Money.FromDecimal(price, "CNY"), MinLeaseHours = minLeaseHours,
            Interruptible = interruptible, InterconnectDomain = $"{id}/pod",
        },
        Datacenter = site,
        Free = { free },
        Version = 1,
    };

    // So many accelerators for so many hours each, within 30 days from T0.
    public static QuoteDemand Demand(WorkloadKind workload, int accelerators, int hoursEach, string model = "H20") => new(
        TenantId: "tenant-a", ExactModel: Seeded.Reference.Accelerators[model], ClassFloor: null,
        AcceleratorHours: (long)accelerators * hoursEach, Fp16PflopsHours: null, Accelerators: accelerators,
        EarliestStart: T0, Deadline: T0.AddDays(30), Workload: workload, PriceCeilingPerHour: null, DomesticOnly: false,
        MinMemoryGb: 0, AllowedRegions: new HashSet<string>());
}
