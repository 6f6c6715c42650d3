using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Demo;

// Waits, with progress, until every lease has run (started and ended on the market clock) and billing
// has posted all of its metered hours, or until the timeout. Each tenant looks only at its own.
public static class DayWatch
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static async Task<bool> UntilBilledAsync(IReadOnlyList<JobRun> runs, TimeSpan timeout, Progress progress,
        CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var run in runs)
                await RefreshAsync(run, ct);
            progress.Update(Status(runs));
            if (runs.All(r => r.Billed))
                return true;
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(Poll, ct);
        }
    }

    static async Task RefreshAsync(JobRun run, CancellationToken ct)
    {
        var market = run.Tenant;
        if (!run.Finished)
            run.Lease = await market.Broker.GetLeaseAsync(new GetLeaseRequest { LeaseId = run.Lease.Id }, market.Call(ct));
        if (run.Lease.State == LeaseState.Scheduled)
            return;
        var invoices = await market.Billing.ListInvoicesAsync(new ListInvoicesRequest
        {
            TenantId = run.Job.Tenant,
            Period = run.Lease.Window,
        }, market.Call(ct));
        run.Invoices = invoices.Invoices;
    }

    static string Status(IReadOnlyList<JobRun> runs)
    {
        var states = runs.GroupBy(r => r.Lease.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Cells.State(g.Key)}");
        return $"leases: {string.Join(", ", states)}; billed {Cells.Number(runs.Sum(r => r.BilledHours))} of " +
               $"{Cells.Number(runs.Sum(r => r.LeasedHours))} accelerator-hours";
    }
}
