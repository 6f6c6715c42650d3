using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Cli.Commands.Dev;
using Marketplace.Cli.Commands.Provider;
using Marketplace.Cli.Connection;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Output;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Auth;
using Google.Protobuf.WellKnownTypes;

namespace Marketplace.Cli.Demo;

// The scripted day, step by step. Everyone acts with a token of their own, minted from MARKET_SIGNING_KEY:
// the operator runs the voucher program and reads the catalog, each SME quotes and leases for itself.
public sealed class DemoDay(CommandContext context, TimeSpan timeout)
{
    static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(2);
    readonly Progress _progress = context.Progress;

    public async Task<DemoSummary> RunAsync(CancellationToken ct)
    {
        var issuer = DevTokenCommand.Issuer(context.Terminal);
        var operatorMarket = context.Connect(issuer.Issue(MarketRoles.Operator, "demo-operator", TokenLifetime));

        // The market's own clock: the catalog says when it was taken (it may run far ahead of ours).
        var catalog = await operatorMarket.Provider.GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest(), operatorMarket.Call(ct));
        var marketNow = catalog.TakenAt.ToDateTimeOffset();
        _progress.Report($"market time {Cells.Time(marketNow)}; {catalog.Offers.Count} offers at " +
                         $"{catalog.Offers.Select(o => o.Datacenter.Id).Distinct().Count()} data centers");

        var program = await operatorMarket.Billing.CreateVoucherProgramAsync(
            new CreateVoucherProgramRequest { Program = DemoScript.ShenzhenProgram(marketNow) }, operatorMarket.Call(ct));
        var voucher = await operatorMarket.Billing.GrantVoucherAsync(
            new GrantVoucherRequest { ProgramId = program.Id, TenantId = DemoScript.ShenzhenTenant }, operatorMarket.Call(ct));
        _progress.Report($"operator created '{program.Name}' ({program.Id}) and granted {voucher.TenantId} voucher {voucher.Id}");

        var runs = new List<JobRun>();
        foreach (var job in DemoScript.Jobs)
        {
            var tenant = context.Connect(issuer.Issue(MarketRoles.Tenant, job.Tenant, TokenLifetime));
            var run = new JobRun(job, tenant, Request(job, marketNow, job.UsesVoucher ? voucher.Id : ""));
            await Booking.BookAsync(run, _progress, ct);
            _progress.Report($"{job.Tenant}: lease {run.Lease.Id} at {string.Join("+", run.Lease.Allocations.Select(a => a.DatacenterId))} " +
                             $"({Cells.Window(run.Lease.Window)}), quoted {Cells.Money(run.Lease.QuotedTotal)}");
            runs.Add(run);
        }
        foreach (var run in runs)
            run.Nearest = await NearestSite.FindAsync(run, catalog, ct);

        // While the leases run, the three bid and the market clock's next auction clears them.
        var exchange = new ExchangeAct(context, issuer, TokenLifetime);
        await exchange.PlaceAsync(marketNow, ct);

        _progress.Report($"waiting for the leases to run and be billed (at most {Parsing.Durations.Show(timeout)})");
        var complete = await DayWatch.UntilBilledAsync(runs, timeout, _progress, ct);

        var dayStart = runs.Min(r => r.Lease.Window.Start.ToDateTimeOffset());
        var dayEnd = runs.Max(r => r.Lease.Window.End.ToDateTimeOffset());
        _progress.Report("reading capacity calendars for utilisation by hub");
        var offers = await CapacitySurvey.MeasureAsync(operatorMarket, catalog.Offers, CapacitySurvey.WholeHours(dayStart, dayEnd), ct);
        var spend = await operatorMarket.Billing.GetVoucherReconciliationAsync(
            new GetVoucherReconciliationRequest { ProgramId = program.Id }, operatorMarket.Call(ct));

        _progress.Report("reading the auction's results");
        var auction = await exchange.SettleAsync(ct);

        return new DemoSummary(dayStart, dayEnd, runs[0].Chosen.Breakdown.Total.Currency, complete,
            runs.Select(r => DayRecap.Job(r, catalog)).ToList(), DayRecap.Voucher(spend), DayRecap.Hubs(offers), auction);
    }

    static QuoteRequest Request(SmeJob job, DateTimeOffset marketNow, string voucherId)
    {
        var request = new QuoteRequest
        {
            TenantId = job.Tenant,
            Window = new TimeWindow
            {
                Start = Timestamp.FromDateTimeOffset(marketNow),
                End = Timestamp.FromDateTimeOffset(marketNow.AddDays(30)),
            },
            VoucherId = voucherId,
        };
        job.Describe(request);
        return request;
    }
}
