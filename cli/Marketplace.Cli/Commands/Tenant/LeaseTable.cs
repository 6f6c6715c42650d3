using Marketplace.Broker.V1;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Commands.Tenant;

// Leases for people: one row each, where and when they run and what was quoted; then, under the table,
// the hours an outage moved off a lease and where they went.
public static class LeaseTable
{
    public static void Write(TextWriter output, IEnumerable<Lease> leases)
    {
        var table = new Table("LEASE", "STATE", "TENANT", "SITES", "HUB", "MODEL", "UNITS", "WINDOW", "QUOTED");
        foreach (var lease in leases)
            table.Add(lease.Id, Cells.State(lease.State), lease.TenantId, Join(lease, a => a.DatacenterId),
                Join(lease, a => a.HubId), Join(lease, a => a.AcceleratorModel), lease.Allocations.Sum(a => a.Units),
                Cells.Window(lease.Window), Cells.Money(lease.QuotedTotal));
        table.WriteTo(output);
        foreach (var lease in leases.Where(l => l.Moves.Count > 0 || l.MovedFromLeaseId.Length > 0))
        {
            if (lease.MovedFromLeaseId.Length > 0)
                output.WriteLine($"{lease.Id}: carries hours moved off {lease.MovedFromLeaseId}");
            foreach (var move in lease.Moves)
                output.WriteLine($"{lease.Id}: from {Cells.Time(move.From)} " +
                                 (move.ToLeaseId.Length > 0 ? $"moved to {move.ToLeaseId} ({Extra(move)})" : "dropped") + $": {move.Reason}");
        }
    }

    static string Extra(LeaseMove move) => move.ExtraCost is { } extra && extra.ToDecimal() != 0
        ? $"{(extra.ToDecimal() > 0 ? "+" : "")}{Cells.Money(extra)} against staying"
        : "no extra cost";

    static string Join(Lease lease, Func<LeaseAllocation, string> part) =>
        string.Join("+", lease.Allocations.Select(part).Distinct());
}
