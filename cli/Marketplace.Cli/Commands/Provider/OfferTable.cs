using Marketplace.Cli.Output;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Commands.Provider;

// An offer for people, with how many units a change took away when it shrank.
public static class OfferTable
{
    public static void Write(TextWriter output, Offer offer, int? unitsRemoved = null)
    {
        var table = new Table("OFFER", "STATE", "SITE", "MODEL", "COUNT", "PRICE/H", "RESERVE", "AVAILABLE", "MIN H", "DOMAIN",
            "INTERRUPTIBLE", "VERSION");
        table.Add(offer.Id, Cells.State(offer.State), offer.DatacenterId, offer.AcceleratorModel, offer.Count,
            Cells.Money(offer.PricePerHour), offer.ReservePricePerHour is { } reserve ? Cells.Money(reserve) : "-", Cells.Window(offer.Availability), offer.MinLeaseHours, offer.InterconnectDomain,
            offer.Interruptible ? "yes" : "no", offer.Version);
        table.WriteTo(output);
        if (unitsRemoved is { } removed)
            output.WriteLine($"units removed: {removed} (free capacity only; held and leased units stay until they end)");
    }
}
