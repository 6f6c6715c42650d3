using Marketplace.Common.V1;
using Marketplace.Reference;

namespace Marketplace.Broker.Domain;

// A tenant's request, checked and in the market's terms.
public sealed record QuoteDemand(
    string TenantId,
    Accelerator? ExactModel,          // this model only
    Accelerator? ClassFloor,          // or any model at least this capable
    long? AcceleratorHours,           // either accelerator-hours ...
    double? Fp16PflopsHours,          // ... or normalised FP16 compute
    int Accelerators,
    DateTimeOffset EarliestStart,
    DateTimeOffset Deadline,
    WorkloadKind Workload,
    decimal? PriceCeilingPerHour,
    bool DomesticOnly,
    int MinMemoryGb,
    IReadOnlySet<string> AllowedRegions,
    int? LatencyLimitMs = null,       // inference: round trip from the users' region
    string? UsersRegionId = null,
    string? DataRegionId = null,      // where the tenant's data sits
    long DataSizeGb = 0,
    string VoucherId = "",
    double MinReliability = 0)        // sites below this share of hours delivered are left out
{
    // Hours each accelerator must run on this model to deliver the demand.
    public int HoursOn(Accelerator model)
    {
        var hours = AcceleratorHours is { } total
            ? (double)total / Accelerators
            : Fp16PflopsHours!.Value * 1000 / (Accelerators * model.EffectiveTflops);
        // Saturates just past the longest window: such a job fits nowhere, and says so, rather than overflowing.
        return (int)Math.Min(Math.Ceiling(hours - 1e-9), QuoteRequestRules.MaxWindow.TotalHours + 1);
    }
}
