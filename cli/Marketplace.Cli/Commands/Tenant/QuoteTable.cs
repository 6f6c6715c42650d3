using Marketplace.Broker.V1;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Commands.Tenant;

// A quote reply for people: the options, cheapest first, each yuan itemised; then the cheaper sites excluded.
public static class QuoteTable
{
    public static void Write(TextWriter output, QuoteResponse reply)
    {
        var options = new Table("RANK", "QUOTE", "SITES", "HUB", "MODEL", "UNITS", "START", "HOURS", "COMPUTE",
            "TRANSFER", "LATENCY", "VOUCHER", "TOTAL", "GREEN", "CO2 KG");
        foreach (var quote in reply.Options)
        {
            var b = quote.Breakdown;
            options.Add(quote.Rank, quote.Id, Join(quote, p => p.DatacenterId), Join(quote, p => p.HubId),
                Join(quote, p => p.AcceleratorModel), quote.Placements.Sum(p => p.Units), Cells.Time(quote.Window.Start),
                Cells.Number(Cells.Hours(quote.Window)), Cells.Money(b.Compute), Cells.Money(b.Transfer),
                Cells.Money(b.LatencyPenalty), Cells.Money(b.VoucherSubsidy), Cells.Money(b.Total),
                Cells.Percent(b.GreenPowerShare), Cells.Number(b.Co2Kg, "0"));
        }
        options.WriteTo(output);
        if (reply.Exclusions.Count == 0)
            return;
        output.WriteLine();
        output.WriteLine("Cheaper sites left out:");
        var excluded = new Table("SITE", "OFFER", "WHY", "WOULD COST");
        foreach (var e in reply.Exclusions)
            excluded.Add(e.DatacenterId, e.OfferId, e.Reason, Cells.Money(e.WouldCost));
        excluded.WriteTo(output);
    }

    static string Join(Quote quote, Func<Placement, string> part) =>
        string.Join("+", quote.Placements.Select(part).Distinct());
}
