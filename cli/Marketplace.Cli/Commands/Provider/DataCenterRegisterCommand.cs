using System.CommandLine;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Output;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Commands.Provider;

// marketctl dc register: a provider's data center, with what the broker prices by (PUE, power, transfer).
public sealed class DataCenterRegisterCommand : MarketCommand
{
    readonly Argument<string> _id = new("datacenter-id") { Description = "the site's id, chosen by the provider" };
    readonly Option<string?> _provider = new("--provider") { Description = "provider id (default: the subject of a provider's token)" };
    readonly Option<string> _name = new("--name") { Description = "display name", Required = true };
    readonly Option<string> _region = new("--region") { Description = "province or municipality, e.g. guizhou", Required = true };
    readonly Option<string> _hub = new("--hub") { Description = "national hub, e.g. guizhou; omit outside the hubs", DefaultValueFactory = _ => "" };
    readonly Option<string> _city = new("--city") { Description = "city", DefaultValueFactory = _ => "" };
    readonly Option<double> _latitude = new("--lat") { Description = "latitude", Required = true };
    readonly Option<double> _longitude = new("--lon") { Description = "longitude", Required = true };
    readonly Option<double> _pue = new("--pue") { Description = "power usage effectiveness, >= 1", Required = true };
    readonly Option<double> _green = new("--green-share") { Description = "share of green power, 0..1" };
    readonly Option<decimal> _power = new("--power-price") { Description = "electricity per kWh", Required = true };
    readonly Option<decimal> _transferIn = new("--transfer-in") { Description = "per GB moved in" };
    readonly Option<decimal> _transferOut = new("--transfer-out") { Description = "per GB moved out" };
    readonly Option<string> _currency = new("--currency") { Description = "currency of the prices", DefaultValueFactory = _ => "CNY" };

    public DataCenterRegisterCommand(CliHost host) : base(host, "register", "Register a data center (provider)")
    {
        Add(_id);
        foreach (var option in new Option[] { _provider, _name, _region, _hub, _city, _latitude, _longitude, _pue, _green,
                     _power, _transferIn, _transferOut, _currency })
            Add(option);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["datacenter.id"] = "<datacenter-id>",
        ["datacenter.provider_id"] = "--provider",
        ["datacenter.name"] = "--name",
        ["datacenter.region_id"] = "--region",
        ["datacenter.hub_id"] = "--hub",
        ["datacenter.latitude"] = "--lat",
        ["datacenter.longitude"] = "--lon",
        ["datacenter.pue"] = "--pue",
        ["datacenter.green_power_share"] = "--green-share",
        ["datacenter.electricity_price_per_kwh"] = "--power-price",
        ["datacenter.transfer_in_price_per_gb"] = "--transfer-in",
        ["datacenter.transfer_out_price_per_gb"] = "--transfer-out",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var currency = parse.GetValue(_currency)!;
        var datacenter = await context.Market.Provider.RegisterDataCenterAsync(new RegisterDataCenterRequest
        {
            Datacenter = new DataCenter
            {
                Id = parse.GetValue(_id)!,
                ProviderId = context.Provider(parse.GetValue(_provider)),
                Name = parse.GetValue(_name)!,
                RegionId = parse.GetValue(_region)!,
                HubId = parse.GetValue(_hub)!,
                City = parse.GetValue(_city)!,
                Latitude = parse.GetValue(_latitude),
                Longitude = parse.GetValue(_longitude),
                Pue = parse.GetValue(_pue),
                GreenPowerShare = parse.GetValue(_green),
                ElectricityPricePerKwh = Money.FromDecimal(parse.GetValue(_power), currency),
                TransferInPricePerGb = Money.FromDecimal(parse.GetValue(_transferIn), currency),
                TransferOutPricePerGb = Money.FromDecimal(parse.GetValue(_transferOut), currency),
            },
        }, context.Market.Call(ct));
        context.Write(datacenter, output => new Table("DATACENTER", "PROVIDER", "REGION", "HUB", "PUE", "GREEN", "POWER/KWH")
            .Add(datacenter.Id, datacenter.ProviderId, datacenter.RegionId, datacenter.HubId, Cells.Number(datacenter.Pue),
                Cells.Percent(datacenter.GreenPowerShare), Cells.Money(datacenter.ElectricityPricePerKwh))
            .WriteTo(output));
        return ExitCodes.Ok;
    }
}
