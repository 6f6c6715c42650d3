using Marketplace.Broker.Domain;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Domain.Tests;

public sealed class A_quote_request
{
    // 10:20 on a Monday; the window below opens at the next day's midnight.
    static readonly DateTimeOffset Now = Valid.Monday.AddHours(10).AddMinutes(20);
    static readonly DateTimeOffset Opens = Valid.Monday.AddDays(1);

    static QuoteRequest Request() => new()
    {
        TenantId = "tenant-a",
        AcceleratorHours = new AcceleratorHours { AcceleratorModel = "H20", Hours = 800 },
        Accelerators = 8,
        Window = new TimeWindow { Start = Valid.At(Opens), End = Valid.At(Opens.AddDays(7)) },
        Workload = WorkloadKind.Training,
    };

    static TimeWindow Window(DateTimeOffset start, DateTimeOffset end) => new() { Start = Valid.At(start), End = Valid.At(end) };

    public static TheoryData<string, string, Action<QuoteRequest>> Spoiled => new()
    {
        { "no tenant", "tenant_id", r => r.TenantId = " " },
        { "no accelerators", "accelerators", r => r.Accelerators = 0 },
        { "a foreign model but domestic only", "accelerator_hours.accelerator_model", r => r.DomesticOnly = true },
        { "inference with no latency limit", "latency_limit_ms", r => (r.Workload, r.UsersRegionId) = (WorkloadKind.Inference, "shanghai") },
        { "inference with a negative latency limit", "latency_limit_ms", r => (r.Workload, r.LatencyLimitMs, r.UsersRegionId) = (WorkloadKind.Inference, -5, "shanghai") },
        { "inference from an unknown region", "users_region_id", r => (r.Workload, r.LatencyLimitMs, r.UsersRegionId) = (WorkloadKind.Inference, 10, "atlantis") },
        { "a latency limit on training", "latency_limit_ms", r => r.LatencyLimitMs = 10 },
        { "data in an unknown region", "data.region_id", r => r.Data = new DataLocation { RegionId = "mars", SizeGb = 10 } },
        { "a negative data size", "data.size_gb", r => r.Data = new DataLocation { RegionId = "shanghai", SizeGb = -1 } },
        { "too many accelerators", "accelerators", r => r.Accelerators = QuoteRequestRules.MaxAccelerators + 1 },
        { "no demand", "demand", r => r.ClearDemand() },
        { "zero accelerator-hours", "accelerator_hours.hours", r => r.AcceleratorHours.Hours = 0 },
        { "both a model and a class", "accelerator_hours", r => r.AcceleratorHours.AcceleratorClass = "H20-class" },
        { "neither a model nor a class", "accelerator_hours", r => r.AcceleratorHours.AcceleratorModel = "" },
        { "an unknown model", "accelerator_hours.accelerator_model", r => r.AcceleratorHours.AcceleratorModel = "B200" },
        { "an unknown class", "accelerator_hours.accelerator_class", r => r.AcceleratorHours = new AcceleratorHours { AcceleratorClass = "B200-class", Hours = 8 } },
        { "zero compute", "compute_hours.fp16_pflops_hours", r => r.ComputeHours = new ComputeHours { Fp16PflopsHours = 0 } },
        { "NaN compute", "compute_hours.fp16_pflops_hours", r => r.ComputeHours = new ComputeHours { Fp16PflopsHours = double.NaN } },
        { "infinite compute", "compute_hours.fp16_pflops_hours", r => r.ComputeHours = new ComputeHours { Fp16PflopsHours = double.PositiveInfinity } },
        { "no window", "window", r => r.Window = null },
        { "a window without a deadline", "window", r => r.Window.End = null },
        { "a deadline before the start", "window.end", r => r.Window = Window(Opens, Opens.AddHours(-1)) },
        { "a deadline at the start", "window.end", r => r.Window = Window(Opens, Opens) },
        { "a deadline already passed", "window.end", r => r.Window = Window(Now.AddDays(-2), Now.AddMinutes(-1)) },
        { "a window past the maximum", "window", r => r.Window = Window(Opens, Opens + QuoteRequestRules.MaxWindow + TimeSpan.FromHours(1)) },
        { "no workload", "workload", r => r.Workload = WorkloadKind.Unspecified },
        { "an undefined workload", "workload", r => r.Workload = (WorkloadKind)42 },
        { "a ceiling in a bad currency", "price_ceiling_per_hour", r => r.PriceCeilingPerHour = Money.FromDecimal(6m, "yuan") },
        { "a ceiling in another currency than the market's", "price_ceiling_per_hour", r => r.PriceCeilingPerHour = Money.FromDecimal(6m, "USD") },
        { "a zero ceiling", "price_ceiling_per_hour", r => r.PriceCeilingPerHour = Money.FromDecimal(0m, "CNY") },
        { "a negative ceiling", "price_ceiling_per_hour", r => r.PriceCeilingPerHour = Money.FromDecimal(-6m, "CNY") },
        { "negative memory", "min_memory_gb", r => r.MinMemoryGb = -1 },
        { "an unknown region", "allowed_region_ids", r => r.AllowedRegionIds.Add(["guizhou", "atlantis"]) },
    };

    [Theory]
    [MemberData(nameof(Spoiled))]
    public void With_one_bad_field_is_refused_naming_that_field(string fault, string field, Action<QuoteRequest> spoil)
    {
        var request = Request();
        spoil(request);

        var error = Assert.Throws<InvalidFieldException>(() => QuoteRequestRules.Parse(request, Seeded.Reference, Now, "CNY"));

        Assert.True(field == error.Field, $"{fault}: expected {field}, got {error.Field}");
    }

    [Fact]
    public void For_an_exact_model_becomes_a_demand_for_that_model()
    {
        var request = Request();
        request.AcceleratorHours.AcceleratorModel = "Ascend-910B";
        request.PriceCeilingPerHour = Money.FromDecimal(5.5m, "CNY");
        request.DomesticOnly = true;
        request.MinMemoryGb = 64;
        request.AllowedRegionIds.Add(["guizhou", "gansu"]);

        var demand = QuoteRequestRules.Parse(request, Seeded.Reference, Now, "CNY");

        Assert.Same(Seeded.Reference.Accelerators["Ascend-910B"], demand.ExactModel);
        Assert.Null(demand.ClassFloor);
        Assert.Equal(request.AcceleratorHours.Hours, demand.AcceleratorHours);
        Assert.Equal(request.Accelerators, demand.Accelerators);
        Assert.Equal(Opens, demand.EarliestStart);
        Assert.Equal(Opens.AddDays(7), demand.Deadline);
        Assert.Equal(5.5m, demand.PriceCeilingPerHour);
        Assert.True(demand.DomesticOnly);
        Assert.Equal(64, demand.MinMemoryGb);
        Assert.True(demand.AllowedRegions.SetEquals(["guizhou", "gansu"]));
    }

    [Theory]
    [InlineData("H100-class", "H100-SXM")]
    [InlineData("A100-class", "A100-SXM-80GB")]
    [InlineData("H20-class", "H20")]
    public void For_a_family_class_takes_that_familys_model_as_its_floor(string className, string model)
    {
        var request = Request();
        request.AcceleratorHours = new AcceleratorHours { AcceleratorClass = className, Hours = 64 };

        var demand = QuoteRequestRules.Parse(request, Seeded.Reference, Now, "CNY");

        Assert.Same(Seeded.Reference.Accelerators[model], demand.ClassFloor);
    }

    [Fact]
    public void For_a_class_takes_the_named_model_as_its_floor()
    {
        var request = Request();
        request.AcceleratorHours = new AcceleratorHours { AcceleratorClass = "Ascend-910B-class", Hours = 64 };

        var demand = QuoteRequestRules.Parse(request, Seeded.Reference, Now, "CNY");

        Assert.Null(demand.ExactModel);
        Assert.Same(Seeded.Reference.Accelerators["Ascend-910B"], demand.ClassFloor);
    }

    [Fact]
    public void For_compute_hours_keeps_the_PFLOPS_hours_and_no_model()
    {
        var request = Request();
        request.ComputeHours = new ComputeHours { Fp16PflopsHours = 12.5 };

        var demand = QuoteRequestRules.Parse(request, Seeded.Reference, Now, "CNY");

        Assert.Equal(12.5, demand.Fp16PflopsHours);
        Assert.Null(demand.AcceleratorHours);
        Assert.Null(demand.ExactModel);
        Assert.Null(demand.ClassFloor);
    }

    [Fact]
    public void Whose_window_opened_already_starts_at_the_next_whole_hour_from_now()
    {
        var request = Request();
        request.Window = Window(Now.AddDays(-1), Now.AddDays(1));

        var demand = QuoteRequestRules.Parse(request, Seeded.Reference, Now, "CNY");

        Assert.Equal(Now.AddMinutes(40), demand.EarliestStart);
    }

    [Fact]
    public void Opening_off_the_hour_starts_at_the_next_whole_hour()
    {
        var request = Request();
        request.Window = Window(Opens.AddMinutes(1), Opens.AddDays(1));

        var demand = QuoteRequestRules.Parse(request, Seeded.Reference, Now, "CNY");

        Assert.Equal(Opens.AddHours(1), demand.EarliestStart);
    }
}
