using Google.Protobuf.WellKnownTypes;
using Marketplace.Common.V1;
using Marketplace.Provider.Domain;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Domain.Tests;

public sealed class An_offer_to_publish
{
    static readonly DateTimeOffset Monday = Valid.Monday;

    static TimeWindow Window(DateTimeOffset start, DateTimeOffset end) => new() { Start = Valid.At(start), End = Valid.At(end) };

    public static TheoryData<string, string, Action<Offer>> Spoiled => new()
    {
        { "an id with spaces", "offer.id", o => o.Id = "my offer" },
        { "no data center", "offer.datacenter_id", o => o.DatacenterId = "" },
        { "an unknown accelerator", "offer.accelerator_model", o => o.AcceleratorModel = "B200" },
        { "a model in the wrong case", "offer.accelerator_model", o => o.AcceleratorModel = "h20" },
        { "count 0", "offer.count", o => o.Count = 0 },
        { "a negative count", "offer.count", o => o.Count = -8 },
        { "a count above the maximum", "offer.count", o => o.Count = OfferRules.MaxCount + 1 },
        { "no price", "offer.price_per_hour", o => o.PricePerHour = null },
        { "a zero price", "offer.price_per_hour", o => o.PricePerHour = Money.FromDecimal(0m, "CNY") },
        { "a negative price", "offer.price_per_hour", o => o.PricePerHour = Money.FromDecimal(-4.20m, "CNY") },
        { "a bad currency", "offer.price_per_hour", o => o.PricePerHour = Money.FromDecimal(4.20m, "RMB1") },
        { "nanos out of range", "offer.price_per_hour", o => o.PricePerHour = new Money { Currency = "CNY", Units = 4, Nanos = 1_200_000_000 } },
        { "no window", "offer.availability", o => o.Availability = null },
        { "a window without an end", "offer.availability", o => o.Availability.End = null },
        { "a start off the hour", "offer.availability.start", o => o.Availability.Start = Valid.At(Monday.AddMinutes(30)) },
        { "a start with nanos", "offer.availability.start", o => o.Availability.Start = new Timestamp { Seconds = Monday.ToUnixTimeSeconds(), Nanos = 1 } },
        { "an end off the hour", "offer.availability.end", o => o.Availability.End = Valid.At(Monday.AddHours(48).AddSeconds(1)) },
        { "an end before the start", "offer.availability.end", o => o.Availability = Window(Monday, Monday.AddHours(-1)) },
        { "an end at the start", "offer.availability.end", o => o.Availability = Window(Monday, Monday) },
        { "a window past the maximum", "offer.availability", o => o.Availability = Window(Monday, Monday + OfferRules.MaxWindow + TimeSpan.FromHours(1)) },
        { "min lease 0", "offer.min_lease_hours", o => o.MinLeaseHours = 0 },
        { "min lease longer than the window", "offer.min_lease_hours", o => o.MinLeaseHours = 49 },
        { "no interconnect domain", "offer.interconnect_domain", o => o.InterconnectDomain = " " },
    };

    [Theory]
    [MemberData(nameof(Spoiled))]
    public void With_one_bad_field_is_refused_naming_that_field(string fault, string field, Action<Offer> spoil)
    {
        var offer = Valid.Offer();
        spoil(offer);

        var error = Assert.Throws<InvalidFieldException>(() => OfferRules.Validate(offer, Seeded.Reference));

        Assert.True(field == error.Field, $"{fault}: expected {field}, got {error.Field}");
    }

    [Fact]
    public void With_every_field_right_is_accepted()
    {
        var offer = Valid.Offer();

        var error = Record.Exception(() => OfferRules.Validate(offer, Seeded.Reference));

        Assert.Null(error);
    }

    [Fact]
    public void Without_an_id_is_accepted_so_one_can_be_generated()
    {
        var offer = Valid.Offer();
        offer.Id = "";

        var error = Record.Exception(() => OfferRules.Validate(offer, Seeded.Reference));

        Assert.Null(error);
    }

    [Fact]
    public void With_a_min_lease_of_the_whole_window_over_the_longest_window_is_accepted()
    {
        var offer = Valid.Offer();
        offer.Availability = Window(Monday, Monday + OfferRules.MaxWindow);
        offer.MinLeaseHours = (int)OfferRules.MaxWindow.TotalHours;
        offer.Count = OfferRules.MaxCount;

        var error = Record.Exception(() => OfferRules.Validate(offer, Seeded.Reference));

        Assert.Null(error);
    }
}
