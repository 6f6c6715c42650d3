using Marketplace.Common.V1;
using Marketplace.Provider.Domain;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Domain.Tests;

public sealed class A_data_center_to_register
{
    public static TheoryData<string, string, Action<DataCenter>> Spoiled => new()
    {
        { "a hub for a region outside the hubs", "datacenter.hub_id", d => (d.RegionId, d.HubId) = ("shaanxi", "guizhou") },
        { "an id with capitals", "datacenter.id", dc => dc.Id = "Guian-Site" },
        { "an empty id", "datacenter.id", dc => dc.Id = "" },
        { "no provider", "datacenter.provider_id", dc => dc.ProviderId = "" },
        { "a blank name", "datacenter.name", dc => dc.Name = "  " },
        { "an unknown region", "datacenter.region_id", dc => dc.RegionId = "atlantis" },
        { "an unknown hub", "datacenter.hub_id", dc => dc.HubId = "atlantis" },
        { "another region's hub", "datacenter.hub_id", dc => dc.HubId = "gansu" },
        { "latitude above 90", "datacenter.latitude", dc => dc.Latitude = 90.5 },
        { "latitude NaN", "datacenter.latitude", dc => dc.Latitude = double.NaN },
        { "longitude below -180", "datacenter.longitude", dc => dc.Longitude = -180.5 },
        { "PUE below 1", "datacenter.pue", dc => dc.Pue = 0.95 },
        { "PUE NaN", "datacenter.pue", dc => dc.Pue = double.NaN },
        { "PUE above 5", "datacenter.pue", dc => dc.Pue = 5.5 },
        { "green share above 1", "datacenter.green_power_share", dc => dc.GreenPowerShare = 1.01 },
        { "negative green share", "datacenter.green_power_share", dc => dc.GreenPowerShare = -0.1 },
        { "green share NaN", "datacenter.green_power_share", dc => dc.GreenPowerShare = double.NaN },
        { "negative electricity price", "datacenter.electricity_price_per_kwh", dc => dc.ElectricityPricePerKwh = Money.FromDecimal(-0.35m, "CNY") },
        { "no electricity price", "datacenter.electricity_price_per_kwh", dc => dc.ElectricityPricePerKwh = null },
        { "a lower-case currency", "datacenter.electricity_price_per_kwh", dc => dc.ElectricityPricePerKwh = Money.FromDecimal(0.35m, "cny") },
        { "negative transfer-in price", "datacenter.transfer_in_price_per_gb", dc => dc.TransferInPricePerGb = Money.FromDecimal(-0.01m, "CNY") },
        { "mixed-sign transfer-out price", "datacenter.transfer_out_price_per_gb", dc => dc.TransferOutPricePerGb = new Money { Currency = "CNY", Units = 1, Nanos = -5 } },
    };

    [Theory]
    [MemberData(nameof(Spoiled))]
    public void With_one_bad_field_is_refused_naming_that_field(string fault, string field, Action<DataCenter> spoil)
    {
        var datacenter = Valid.DataCenter();
        spoil(datacenter);

        var error = Assert.Throws<InvalidFieldException>(() => DataCenterRules.Validate(datacenter, Seeded.Reference));

        Assert.True(field == error.Field, $"{fault}: expected {field}, got {error.Field}");
    }

    [Fact]
    public void With_a_bad_field_is_refused_under_the_prefix_it_was_given()
    {
        var datacenter = Valid.DataCenter();
        datacenter.Pue = 0.5;

        var error = Assert.Throws<InvalidFieldException>(() =>
            DataCenterRules.Validate(datacenter, Seeded.Reference, "request.datacenter"));

        Assert.Equal("request.datacenter.pue", error.Field);
    }

    [Fact]
    public void With_every_field_right_is_accepted()
    {
        var datacenter = Valid.DataCenter();

        var error = Record.Exception(() => DataCenterRules.Validate(datacenter, Seeded.Reference));

        Assert.Null(error);
    }

    [Theory]
    [InlineData(1.0, 0.0, -90.0, -180.0)]
    [InlineData(5.0, 1.0, 90.0, 180.0)]
    public void At_the_edges_of_the_ranges_is_accepted(double pue, double greenShare, double latitude, double longitude)
    {
        var datacenter = Valid.DataCenter();
        (datacenter.Pue, datacenter.GreenPowerShare, datacenter.Latitude, datacenter.Longitude) = (pue, greenShare, latitude, longitude);

        var error = Record.Exception(() => DataCenterRules.Validate(datacenter, Seeded.Reference));

        Assert.Null(error);
    }

    [Fact]
    public void Outside_every_hub_is_accepted_without_a_hub()
    {
        var datacenter = Valid.DataCenter();
        (datacenter.RegionId, datacenter.HubId) = ("shaanxi", "");

        var error = Record.Exception(() => DataCenterRules.Validate(datacenter, Seeded.Reference));

        Assert.Null(error);
    }
}
