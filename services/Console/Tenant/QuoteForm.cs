using Google.Protobuf.WellKnownTypes;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Reference;

namespace Marketplace.Console.Tenant;

// The tenant page's quote form as it posts it (JSON). Model is a model ("H20") or a class ("H100-class");
// Hours is how long each accelerator runs; the window opens StartInHours after the next whole hour and
// lasts WindowHours. Checked here field by field, so a mistake comes back naming the form's own field.
public sealed record QuoteForm(
    string? Model, int Accelerators, int Hours, int StartInHours, int WindowHours, string? Workload,
    string? DataRegion, long DataGb, string? UsersRegion, int LatencyMs, string? CeilingPerHour, bool DomesticOnly)
{
    const int MaxHoursAhead = 24 * 90;

    public QuoteRequest ToRequest(string tenantId, DateTimeOffset now, MarketReference reference, string currency)
    {
        var model = Model?.Trim() ?? "";
        var demand = new AcceleratorHours { Hours = Require(Accelerators, "accelerators", 1, 100_000) * (long)Require(Hours, "hours", 1, MaxHoursAhead) };
        if (model.EndsWith("-class", StringComparison.OrdinalIgnoreCase))
            demand.AcceleratorClass = model;
        else if (reference.Accelerators.ContainsKey(model))
            demand.AcceleratorModel = model;
        else
            throw new BadFieldException("model", $"'{Short(model)}' is neither a model of the catalog nor a class such as H100-class");

        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero)
            .AddHours(1 + Require(StartInHours, "startInHours", 0, MaxHoursAhead));
        if (WindowHours < Hours)
            throw new BadFieldException("windowHours", $"must be at least the {Hours} hours asked for");
        var end = start.AddHours(Require(WindowHours, "windowHours", 1, MaxHoursAhead));

        var request = new QuoteRequest
        {
            TenantId = tenantId,
            AcceleratorHours = demand,
            Accelerators = Accelerators,
            Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(end) },
            Workload = WorkloadOf(Workload),
            DomesticOnly = DomesticOnly,
            UsersRegionId = RegionOr(UsersRegion, "usersRegion", reference),
        };
        if (request.Workload == WorkloadKind.Inference)
            request.LatencyLimitMs = Require(LatencyMs, "latencyMs", 1, 10_000);
        if (RegionOr(DataRegion, "dataRegion", reference) is { Length: > 0 } dataRegion)
            request.Data = new DataLocation { RegionId = dataRegion, SizeGb = Require(DataGb, "dataGb", 0, 10_000_000) };
        if (!string.IsNullOrWhiteSpace(CeilingPerHour))
            request.PriceCeilingPerHour = Money.FromDecimal(Ceiling(CeilingPerHour), currency);
        return request;
    }

    static WorkloadKind WorkloadOf(string? workload) => workload?.Trim().ToLowerInvariant() switch
    {
        "batch" => WorkloadKind.Batch,
        "inference" => WorkloadKind.Inference,
        "training" => WorkloadKind.Training,
        _ => throw new BadFieldException("workload", "must be batch, inference or training"),
    };

    static string RegionOr(string? region, string field, MarketReference reference) =>
        string.IsNullOrWhiteSpace(region) ? ""
        : reference.Regions.ContainsKey(region.Trim()) ? region.Trim()
        : throw new BadFieldException(field, $"'{Short(region)}' is not a region of the market");

    static decimal Ceiling(string raw) =>
        decimal.TryParse(raw, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var yuan)
        && yuan > 0 && yuan <= 1_000_000 && decimal.Round(yuan, 2) == yuan
            ? yuan
            : throw new BadFieldException("ceilingPerHour", "must be yuan an accelerator-hour, above 0, to the fen (e.g. 6.50)");

    static T Require<T>(T value, string field, T min, T max) where T : IComparable<T> =>
        value.CompareTo(min) >= 0 && value.CompareTo(max) <= 0 ? value : throw new BadFieldException(field, $"must be from {min} to {max}");

    // Echoing a pasted novel back would help no one.
    static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
