using Marketplace.Broker.V1;

namespace Marketplace.Console.Exchange;

// The clearing price of one model in one region and hour, and the accelerators it traded.
public sealed record PriceView(string Hub, string Region, string Model, long Hour, long PriceFen, int Accelerators)
{
    public static PriceView From(HubPrice p) =>
        new(p.HubId, p.RegionId, p.AcceleratorModel, UnixMs.Of(p.Hour), WholeFen.Of(p.PricePerHour), p.Accelerators);
}
