using System.CommandLine;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Marketplace.Broker.V1;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Parsing;
using Marketplace.Common.V1;

namespace Marketplace.Cli.Commands.Tenant;

// What a job needs, as quote and bid both ask it: model or class and accelerator-hours (or PFLOPS-hours),
// accelerators at once, window, workload, latency, data, residency, voucher.
public sealed class DemandOptions
{
    readonly Option<string?> _tenant = new("--tenant") { Description = "tenant id (default: the subject of a tenant's token)" };
    readonly Option<string> _workload = new Option<string>("--workload", "-w")
        { Description = "the kind of job", Required = true }.AcceptOnlyFromAmong("training", "batch", "inference");
    readonly Option<string?> _model = new("--model", "-m") { Description = "exactly this accelerator, e.g. H20, Ascend-910B" };
    readonly Option<string?> _class = new("--class") { Description = "or any at least this capable, e.g. H100-class" };
    readonly Option<long> _hours = new("--accelerator-hours", "--hours")
        { Description = "accelerator-hours in all, with --model or --class (64 = 8 accelerators for 8 h)" };
    readonly Option<double> _pflopsHours = new("--pflops-hours") { Description = "or normalised FP16 PFLOPS-hours, any model" };
    readonly Option<int> _accelerators = new("--accelerators", "-n") { Description = "accelerators at once", Required = true };
    readonly TimeOption _start = new("--start", "earliest start (default now)");
    readonly TimeOption _deadline = new("--deadline", "latest end (default a year after --start)");
    readonly Option<int> _latency = new("--latency") { Description = "inference: round-trip limit in ms from --users-region" };
    readonly Option<string?> _usersRegion = new("--users-region") { Description = "where the users are, e.g. shanghai" };
    readonly Option<string?> _dataRegion = new("--data-region") { Description = "where the data sits, e.g. beijing" };
    readonly Option<long> _dataGb = new("--data-gb") { Description = "how much data must move to the site, in GB" };
    readonly Option<bool> _domestic = new("--domestic") { Description = "domestic accelerators only" };
    readonly Option<string[]> _regions = new("--region") { Description = "data residency: allowed regions (repeat)" };
    readonly Option<string?> _voucher = new("--voucher") { Description = "a compute voucher to apply" };
    readonly Option<int> _minMemory = new("--min-memory") { Description = "at least this much accelerator memory, GB" };
    readonly Option<double> _minReliability = new("--min-reliability") { Description = "only sites that delivered at least this share (0..1) of the hours they leased, last 30 days" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _tenant, _workload, _model, _class, _hours, _pflopsHours, _accelerators,
                     _start, _deadline, _latency, _usersRegion, _dataRegion, _dataGb, _domestic, _regions, _voucher, _minMemory, _minReliability })
            command.Add(option);
    }

    // The request's fields and the options that set them, for error messages; `prefix` where the demand is nested.
    public static Dictionary<string, string> FieldOptions(string prefix = "") => new Dictionary<string, string>
    {
        ["tenant_id"] = "--tenant",
        ["demand"] = "--model, --class or --pflops-hours",
        ["accelerator_hours"] = "--model or --class",
        ["accelerator_hours.hours"] = "--accelerator-hours",
        ["accelerator_hours.accelerator_model"] = "--model",
        ["accelerator_hours.accelerator_class"] = "--class",
        ["compute_hours"] = "--pflops-hours",
        ["accelerators"] = "--accelerators",
        ["window"] = "--start and --deadline",
        ["window.end"] = "--deadline",
        ["workload"] = "--workload",
        ["latency_limit_ms"] = "--latency",
        ["users_region_id"] = "--users-region",
        ["data.region_id"] = "--data-region",
        ["data.size_gb"] = "--data-gb",
        ["allowed_region_ids"] = "--region",
        ["voucher_id"] = "--voucher",
        ["min_memory_gb"] = "--min-memory",
        ["min_reliability"] = "--min-reliability",
    }.ToDictionary(f => prefix + f.Key, f => f.Value);

    public QuoteRequest Request(CommandContext context, ParseResult parse)
    {
        var start = parse.GetValue(_start) ?? DateTimeOffset.UtcNow;
        var request = new QuoteRequest
        {
            TenantId = context.Tenant(parse.GetValue(_tenant)),
            Accelerators = parse.GetValue(_accelerators),
            Window = new TimeWindow
            {
                Start = Timestamp.FromDateTimeOffset(start),
                End = Timestamp.FromDateTimeOffset(parse.GetValue(_deadline) ?? start.AddDays(365)),
            },
            Workload = parse.GetValue(_workload) switch
            {
                "training" => WorkloadKind.Training,
                "batch" => WorkloadKind.Batch,
                _ => WorkloadKind.Inference,
            },
            LatencyLimitMs = parse.GetValue(_latency),
            UsersRegionId = parse.GetValue(_usersRegion) ?? "",
            DomesticOnly = parse.GetValue(_domestic),
            VoucherId = parse.GetValue(_voucher) ?? "",
            MinMemoryGb = parse.GetValue(_minMemory),
            MinReliability = parse.GetValue(_minReliability),
        };
        // Accelerator-hours of a model or class, or normalised compute; the broker says what is missing.
        var (model, floor) = (parse.GetValue(_model), parse.GetValue(_class));
        if (model is not null || floor is not null)
            request.AcceleratorHours = new AcceleratorHours
            {
                AcceleratorModel = model ?? "",
                AcceleratorClass = floor ?? "",
                Hours = parse.GetValue(_hours),
            };
        else if (parse.GetValue(_pflopsHours) is var pflops and not 0)
            request.ComputeHours = new ComputeHours { Fp16PflopsHours = pflops };
        if (parse.GetValue(_dataRegion) is { } dataRegion)
            request.Data = new DataLocation { RegionId = dataRegion, SizeGb = parse.GetValue(_dataGb) };
        request.AllowedRegionIds.AddRange(parse.GetValue(_regions) ?? []);
        return request;
    }
}
