using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Cli.Commands.Provider;
using Marketplace.Cli.Output;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Demo;

// Turns the day's replies, leases and invoices into the summary's plain records.
public static class DayRecap
{
    const int Reasons = 3;

    public static JobSummary Job(JobRun run, CatalogSnapshot catalog)
    {
        var origins = catalog.Offers.Select(o => o.Accelerator).DistinctBy(a => a.Model)
            .ToDictionary(a => a.Model, a => a.Origin);
        var placements = run.Chosen.Placements.Select(p => new PlacementSummary(p.DatacenterId, p.ProviderId, p.RegionId,
            p.HubId, p.AcceleratorModel, Origin(origins.GetValueOrDefault(p.AcceleratorModel)), p.Units, p.RttMs,
            p.TransferHours)).ToList();
        var why = run.Reply.Exclusions.Take(Reasons)
            .Select(e => $"{e.OfferId} ({Cells.Money(e.WouldCost)}): {e.Reason}").ToList();
        return new JobSummary(run.Job.Tenant, run.Job.Story, Cells.State(run.Request.Workload), run.Lease.Id,
            Cells.State(run.Lease.State), run.Lease.Window.Start.ToDateTimeOffset(), run.Lease.Window.End.ToDateTimeOffset(),
            placements, Constraints(run.Request), why, Price(run.Chosen.Breakdown), Invoiced(run), Alternative(run));
    }

    public static VoucherSummary Voucher(VoucherReconciliation reconciliation) => new(reconciliation.Program.Id,
        reconciliation.Program.Name, reconciliation.Program.Issuer, reconciliation.Program.TenantCopayPercent,
        reconciliation.Program.Budget.ToDecimal(), reconciliation.Spend.Sum(s => s.Amount.ToDecimal()),
        reconciliation.Spend.Select(s => new VoucherShare(s.TenantId, s.ProviderId, s.Amount.ToDecimal())).ToList());

    public static IReadOnlyList<HubUtilisation> Hubs(IEnumerable<OfferUtilisation> offers) =>
        offers.GroupBy(o => o.HubId.Length > 0 ? o.HubId : "(outside the hubs)")
            .Select(g => new HubUtilisation(g.Key, g.Sum(o => o.Published), g.Sum(o => o.Held + o.Leased)))
            .OrderByDescending(h => h.Utilisation).ThenBy(h => h.HubId, StringComparer.Ordinal)
            .ToList();

    // The request's hard constraints, as the broker applied them.
    static List<string> Constraints(QuoteRequest r)
    {
        var demand = r.DemandCase == QuoteRequest.DemandOneofCase.AcceleratorHours
            ? $"{r.AcceleratorHours.Hours} {(r.AcceleratorHours.AcceleratorModel.Length > 0 ? r.AcceleratorHours.AcceleratorModel : r.AcceleratorHours.AcceleratorClass)}-hours on {r.Accelerators} at once"
            : $"{r.ComputeHours.Fp16PflopsHours} FP16 PFLOPS-hours on {r.Accelerators} at once";
        var constraints = new List<string> { $"{Cells.State(r.Workload)}: {demand}" };
        if (r.Workload == WorkloadKind.Training)
            constraints.Add("gang-scheduled: one interconnect domain, never interruptible");
        if (r.LatencyLimitMs > 0)
            constraints.Add($"round trip from {r.UsersRegionId} at most {r.LatencyLimitMs} ms");
        if (r.Data is { SizeGb: > 0 } data)
            constraints.Add($"{data.SizeGb} GB of data in {data.RegionId} to move");
        if (r.DomesticOnly)
            constraints.Add("domestic accelerators only");
        if (r.VoucherId.Length > 0)
            constraints.Add($"voucher {r.VoucherId}");
        return constraints;
    }

    static PriceSummary Price(PriceBreakdown b) => new(b.Compute.ToDecimal(), b.Transfer.ToDecimal(),
        b.LatencyPenalty.ToDecimal(), b.VoucherSubsidy.ToDecimal(), b.Total.ToDecimal(), b.EnergyKwh, b.GreenPowerShare, b.Co2Kg);

    static InvoiceSummary? Invoiced(JobRun run)
    {
        var holding = run.Invoices.Where(i => i.Lines.Any(l => l.LeaseId == run.Lease.Id)).ToList();
        if (holding.Count == 0)
            return null;
        var lines = run.Lines.ToList();
        return new InvoiceSummary(string.Join(", ", holding.Select(i => i.Id)), lines.Sum(l => l.AcceleratorHours), lines.Sum(l => l.EnergyKwh),
            lines.Sum(l => l.Amount.ToDecimal()), lines.Sum(l => l.VoucherCovered.ToDecimal()), lines.Sum(l => l.TenantDue.ToDecimal()));
    }

    static AlternativeSummary? Alternative(JobRun run) => run.Nearest is not { } nearest
        ? null
        : new AlternativeSummary(Distinct(nearest, p => p.DatacenterId), Distinct(nearest, p => p.RegionId),
            Distinct(nearest, p => p.HubId), nearest.Breakdown.Total.ToDecimal(),
            Distinct(nearest, p => p.OfferId).SequenceEqual(Distinct(run.Chosen, p => p.OfferId)));

    static List<string> Distinct(Quote quote, Func<Placement, string> part) => quote.Placements.Select(part).Distinct().ToList();

    static string Origin(AcceleratorOrigin origin) => origin switch
    {
        AcceleratorOrigin.Domestic => "domestic",
        AcceleratorOrigin.Foreign => "foreign",
        _ => "unknown",
    };
}
