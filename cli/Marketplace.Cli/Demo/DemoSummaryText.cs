using Marketplace.Cli.Output;

namespace Marketplace.Cli.Demo;

// The demo day's summary for people: each job's story, then vouchers, then utilisation by hub.
public static class DemoSummaryText
{
    public static void Write(TextWriter output, DemoSummary day)
    {
        output.WriteLine($"Demo day, market time {Cells.Time(day.MarketStart)} .. {Cells.Time(day.MarketEnd)} (amounts in {day.Currency})");
        foreach (var job in day.Jobs)
        {
            output.WriteLine();
            output.WriteLine($"{job.Tenant}: {job.Story}");
            output.WriteLine($"  went to   {string.Join(" + ", job.Placements.Select(Site))}");
            output.WriteLine($"  ran       {Cells.Time(job.Start)} .. {Cells.Time(job.End)}, lease {job.LeaseId} ({job.State})");
            output.WriteLine($"  asked     {string.Join("; ", job.Constraints)}");
            output.WriteLine(job.Why.Count == 0
                ? "  why       the cheapest site that met every constraint"
                : $"  why       cheaper sites left out: {string.Join("; ", job.Why)}");
            var q = job.Quoted;
            output.WriteLine($"  quoted    {Cells.Amount(q.Total)} = compute {Cells.Amount(q.Compute)} + transfer {Cells.Amount(q.Transfer)}" +
                             $" + latency {Cells.Amount(q.LatencyPenalty)} - voucher {Cells.Amount(q.VoucherSubsidy)}" +
                             $"; {Cells.Number(q.EnergyKwh, "0")} kWh, {Cells.Percent(q.GreenPowerShare)} green, {Cells.Number(q.Co2Kg, "0")} kg CO2");
            output.WriteLine(job.Invoiced is { } i
                ? $"  invoiced  {Cells.Amount(i.Amount)} for {Cells.Number(i.AcceleratorHours)} accelerator-hours; voucher paid {Cells.Amount(i.VoucherCovered)}, tenant owes {Cells.Amount(i.TenantDue)}"
                : "  invoiced  nothing yet");
            output.WriteLine($"  nearest   {Nearest(job)}");
        }

        var v = day.Voucher;
        output.WriteLine();
        output.WriteLine($"Voucher program {v.Name} ({v.ProgramId}), tenants co-pay {v.TenantCopayPercent}%: " +
                         $"spent {Cells.Amount(v.Spent)} of {Cells.Amount(v.Budget)}");
        foreach (var share in v.Spend)
            output.WriteLine($"  {share.TenantId} at {share.ProviderId}: {Cells.Amount(share.Amount)}");

        output.WriteLine();
        output.WriteLine("Utilisation by hub over the day (held + leased of published accelerator-hours):");
        var hubs = new Table("HUB", "PUBLISHED", "USED", "UTILISATION");
        foreach (var hub in day.Hubs)
            hubs.Add(hub.HubId, hub.Published, hub.Used, Cells.Percent(hub.Utilisation));
        hubs.WriteTo(output);
        WriteExchange(output, day.Exchange);
        if (!day.Complete)
            output.WriteLine("\n(not every lease had ended and been billed before the timeout; figures are partial)");
    }

    static void WriteExchange(TextWriter output, ExchangeSummary auction)
    {
        output.WriteLine();
        output.WriteLine($"The exchange: call auction {auction.AuctionId}, surplus {Cells.Amount(auction.Surplus)}, " +
                         $"moving data between hubs {Cells.Amount(auction.MovingCost)}, optimality gap {Cells.Number(auction.OptimalityGap)}");
        foreach (var bid in auction.Bids)
            output.WriteLine($"  {bid.Tenant}: {bid.Story}, at most {Cells.Amount(bid.Limit)}: {bid.State}" +
                             (bid.PaidPerHour is { } paid ? $" in {string.Join(" + ", bid.Hubs)} at {Cells.Amount(paid)} an accelerator-hour (lease {bid.LeaseId})" : $" ({bid.Outcome})"));
        var prices = new Table("SIDE", "HUB", "MODEL", "PRICE/H", "ACC-H");
        foreach (var p in auction.Prices)
            prices.Add(p.Side.Length > 0 ? p.Side : "-", p.HubId, p.Model, Cells.Amount(p.AveragePrice), p.AcceleratorHours);
        output.WriteLine("Clearing prices by hub (average over the hours traded):");
        prices.WriteTo(output);
    }

    static string Site(PlacementSummary p) =>
        $"{p.DatacenterId} ({p.RegionId}, {(p.HubId.Length > 0 ? p.HubId + " hub" : "outside the hubs")}), {p.Units} x {p.AcceleratorModel} ({p.Origin})";

    static string Nearest(JobSummary job) => job.Nearest switch
    {
        null => "nothing in its own region or hub could take it",
        { SameAsChosen: true } n => $"it ran at the nearest site ({string.Join("+", n.DatacenterIds)})",
        var n => $"{string.Join("+", n.DatacenterIds)} ({string.Join(",", n.HubIds)}) would have cost {Cells.Amount(n.Total)}: " +
                 (job.SavingVsNearest >= 0
                     ? $"{Cells.Amount(job.SavingVsNearest.Value)} saved"
                     : $"{Cells.Amount(-job.SavingVsNearest!.Value)} less than where it went"),
    };
}
