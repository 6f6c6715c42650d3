using Marketplace.Broker.V1;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Commands.Exchange;

// Bids for people: what each asks, its limit, where it stands and what the last auction did with it.
static class BidTable
{
    public static void Write(TextWriter output, IEnumerable<Bid> bids)
    {
        var table = new Table("BID", "STATE", "WANTS", "LIMIT", "STANDS UNTIL", "LEASE", "LAST OUTCOME");
        foreach (var bid in bids)
            table.Add(bid.Id, bid.State.ToString().ToLowerInvariant(), Wants(bid.Demand),
                bid.LimitPrice?.ToDecimal().ToString("0.00"), bid.StandUntil?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm") ?? "one auction",
                bid.LeaseId, bid.LastOutcome);
        table.WriteTo(output);
    }

    static string Wants(QuoteRequest demand) => demand.AcceleratorHours is { } hours
        ? $"{hours.Hours} h of {(hours.AcceleratorModel.Length > 0 ? hours.AcceleratorModel : hours.AcceleratorClass)} x{demand.Accelerators}"
        : $"{demand.ComputeHours?.Fp16PflopsHours:0.##} PFLOPS-h x{demand.Accelerators}";
}
