using Google.Protobuf.WellKnownTypes;
using Marketplace.Cli.Connection;
using Marketplace.Cli.Parsing;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Time = Marketplace.ServiceDefaults.Time;

namespace Marketplace.Cli.Commands.Provider;

// Reads the capacity calendars of offers and sums each one's published, held and leased hours.
public static class CapacitySurvey
{
    public static async Task<IReadOnlyList<OfferUtilisation>> MeasureAsync(MarketConnection market,
        IEnumerable<OfferCapacity> offers, TimeWindow? window, CancellationToken ct)
    {
        var rows = new List<OfferUtilisation>();
        foreach (var offer in offers)
        {
            var request = new GetCapacityRequest { OfferId = offer.Offer.Id, Window = window };
            var calendar = await market.Provider.GetCapacityAsync(request, market.Call(ct));
            rows.Add(new OfferUtilisation(offer.Offer.Id, offer.Datacenter.Id, offer.Datacenter.HubId,
                offer.Offer.AcceleratorModel, calendar.Slots.Sum(s => (long)s.Published), calendar.Slots.Sum(s => (long)s.Held),
                calendar.Slots.Sum(s => (long)s.Leased)));
        }
        return rows;
    }

    // Calendars answer in whole hours: widen the window to them.
    public static TimeWindow WholeHours(DateTimeOffset from, DateTimeOffset to) => new()
    {
        Start = Timestamp.FromDateTimeOffset(Time.WholeHours.Floor(from)),
        End = Timestamp.FromDateTimeOffset(Time.WholeHours.Ceiling(to)),
    };
}
