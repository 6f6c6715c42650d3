using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Errors;
using AcceleratorOrigin = Marketplace.Reference.AcceleratorOrigin;
using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Broker.Domain;

// Turns a QuoteRequest into a QuoteDemand, or says which field is wrong.
public static class QuoteRequestRules
{
    public const int MaxAccelerators = 100_000;
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);
    public const double MaxDataGb = 1_000_000_000; // an exabyte

    // `currency` is the market's (QuotingPolicy.Currency): offers are priced in it, so a ceiling must be too.
    public static QuoteDemand Parse(QuoteRequest request, MarketReference reference, DateTimeOffset now, string currency)
    {
        if (string.IsNullOrWhiteSpace(request.TenantId))
            throw new InvalidFieldException("tenant_id", "is required");
        if (request.Accelerators is <= 0 or > MaxAccelerators)
            throw new InvalidFieldException("accelerators", $"must be within 1..{MaxAccelerators}");

        Accelerator? exact = null, floor = null;
        long? acceleratorHours = null;
        double? pflopsHours = null;
        switch (request.DemandCase)
        {
            case QuoteRequest.DemandOneofCase.AcceleratorHours:
                var demand = request.AcceleratorHours;
                if (demand.Hours <= 0)
                    throw new InvalidFieldException("accelerator_hours.hours", "must be positive");
                // No window the market quotes can hold more: every accelerator for every hour of it.
                if (demand.Hours > (long)MaxAccelerators * (long)MaxWindow.TotalHours)
                    throw new InvalidFieldException("accelerator_hours.hours",
                        $"must be at most {(long)MaxAccelerators * (long)MaxWindow.TotalHours:N0} (every accelerator for {MaxWindow.TotalDays:0} days)");
                if (demand.AcceleratorModel.Length > 0 == demand.AcceleratorClass.Length > 0)
                    throw new InvalidFieldException("accelerator_hours", "give exactly one of accelerator_model and accelerator_class");
                exact = demand.AcceleratorModel.Length > 0 ? Known(demand.AcceleratorModel, "accelerator_hours.accelerator_model", reference) : null;
                floor = demand.AcceleratorClass.Length > 0 ? ClassFloor(demand.AcceleratorClass, reference) : null;
                acceleratorHours = demand.Hours;
                break;
            case QuoteRequest.DemandOneofCase.ComputeHours:
                if (!(request.ComputeHours.Fp16PflopsHours > 0) || request.ComputeHours.Fp16PflopsHours > 1e12)
                    throw new InvalidFieldException("compute_hours.fp16_pflops_hours", "must be a positive number, at most 1e12");
                pflopsHours = request.ComputeHours.Fp16PflopsHours;
                break;
            default:
                throw new InvalidFieldException("demand", "give accelerator_hours or compute_hours");
        }

        if (request.Window?.Start is null || request.Window.End is null)
            throw new InvalidFieldException("window", "start (earliest start) and end (deadline) are required");
        var start = request.Window.Start.ToDateTimeOffset();
        var end = request.Window.End.ToDateTimeOffset();
        if (end <= start)
            throw new InvalidFieldException("window.end", "the deadline must be after the earliest start");
        if (end <= now)
            throw new InvalidFieldException("window.end", "the deadline has passed");
        if (end - start > MaxWindow)
            throw new InvalidFieldException("window", $"must be at most {MaxWindow.TotalDays:0} days");

        if (request.Workload == WorkloadKind.Unspecified || !Enum.IsDefined(request.Workload))
            throw new InvalidFieldException("workload", "must be training, batch or inference");

        decimal? ceiling = null;
        if (request.PriceCeilingPerHour is { } money)
        {
            if (money.Problem() is { } problem)
                throw new InvalidFieldException("price_ceiling_per_hour", problem);
            if (money.Currency != currency)
                throw new InvalidFieldException("price_ceiling_per_hour", $"must be in {currency}, the market's currency");
            ceiling = money.ToDecimal();
            if (ceiling <= 0)
                throw new InvalidFieldException("price_ceiling_per_hour", "must be positive");
        }
        if (request.MinMemoryGb < 0)
            throw new InvalidFieldException("min_memory_gb", "must not be negative");
        foreach (var region in request.AllowedRegionIds.Where(r => !reference.Regions.ContainsKey(r)))
            throw new InvalidFieldException("allowed_region_ids", $"unknown region '{region}'");

        if (request.DomesticOnly && exact is { Origin: AcceleratorOrigin.Foreign })
            throw new InvalidFieldException("accelerator_hours.accelerator_model",
                $"{exact.DisplayName} is foreign; domestic_only asks for domestic accelerators");

        int? latencyLimit = null;
        if (request.Workload == WorkloadKind.Inference)
        {
            if (request.LatencyLimitMs <= 0)
                throw new InvalidFieldException("latency_limit_ms", "inference needs a positive round-trip limit");
            KnownRegion(request.UsersRegionId, "users_region_id", reference);
            latencyLimit = request.LatencyLimitMs;
        }
        else if (request.LatencyLimitMs != 0)
            throw new InvalidFieldException("latency_limit_ms", "applies to inference only");

        string? dataRegion = null;
        if (request.Data is { } data)
        {
            if (!(data.SizeGb >= 0 && data.SizeGb <= MaxDataGb))
                throw new InvalidFieldException("data.size_gb", $"must be within 0..{MaxDataGb:N0}");
            if (data.SizeGb > 0 || data.RegionId.Length > 0)
                dataRegion = KnownRegion(data.RegionId, "data.region_id", reference);
        }
        if (request.VoucherId.Length > 128)
            throw new InvalidFieldException("voucher_id", "is too long");
        if (!(request.MinReliability >= 0 && request.MinReliability <= 1))
            throw new InvalidFieldException("min_reliability", "must be within 0..1");

        var earliest = WholeHours.Ceiling(Max(start, now));
        if (earliest.AddHours(1) > end)
            throw new InvalidFieldException("window", "leaves less than one whole hour before the deadline");

        return new QuoteDemand(request.TenantId, exact, floor, acceleratorHours, pflopsHours, request.Accelerators,
            earliest, end, request.Workload, ceiling, request.DomesticOnly, request.MinMemoryGb,
            request.AllowedRegionIds.ToHashSet(), latencyLimit,
            request.Workload == WorkloadKind.Inference || request.UsersRegionId.Length > 0
                ? KnownRegion(request.UsersRegionId, "users_region_id", reference) : null,
            dataRegion, request.Data?.SizeGb ?? 0, request.VoucherId, request.MinReliability);
    }

    // "H100-class" names the model (or model family: "H100" is "H100-SXM") whose FP16 is the floor.
    static Accelerator ClassFloor(string className, MarketReference reference)
    {
        var name = className.EndsWith("-class", StringComparison.OrdinalIgnoreCase) ? className[..^"-class".Length] : className;
        if (reference.Accelerators.TryGetValue(name, out var exact))
            return exact;
        return reference.Accelerators.Values
                   .Where(a => a.Model.StartsWith(name + "-", StringComparison.OrdinalIgnoreCase))
                   .OrderBy(a => a.Model, StringComparer.Ordinal)
                   .FirstOrDefault()
               ?? throw new InvalidFieldException("accelerator_hours.accelerator_class",
                   $"unknown class '{className}'; name a model, e.g. H100-class or Ascend-910B-class");
    }

    static string KnownRegion(string id, string field, MarketReference reference) =>
        reference.Regions.ContainsKey(id) ? id : throw new InvalidFieldException(field, $"unknown region '{id}'");

    static Accelerator Known(string model, string field, MarketReference reference) =>
        reference.Accelerators.TryGetValue(model, out var accelerator)
            ? accelerator
            : throw new InvalidFieldException(field, $"unknown model '{model}'; one of {string.Join(", ", reference.Accelerators.Keys)}");

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
