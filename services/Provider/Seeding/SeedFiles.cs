namespace Marketplace.Provider.Seeding;

// The shapes of seeds/datacenters.json and seeds/offers.json, as written there.
sealed record DataCentersFile(List<DataCentersFile.Entry> Datacenters)
{
    public sealed record Entry(string Id, string Name, string Provider, string Region, string City, string? Hub,
        double Latitude, double Longitude, decimal Pue, decimal GreenPowerShare, decimal ElectricityYuanPerKwh,
        decimal TransferInYuanPerGb, decimal TransferOutYuanPerGb);
}

sealed record OffersFile(List<OffersFile.Entry> Offers)
{
    public sealed record Entry(string Id, string Datacenter, string Accelerator, int Count, string InterconnectDomain,
        PriceEntry PricePerHour, int MinLeaseHours, bool Interruptible, int AvailableDays,
        PriceEntry? ReservePricePerHour = null);

    public sealed record PriceEntry(string Currency, decimal Amount);
}
