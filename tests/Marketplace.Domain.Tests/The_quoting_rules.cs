using Grpc.Core;
using Marketplace.Broker.Domain;
using Marketplace.Broker.Quoting;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Grpc;
using Microsoft.Extensions.Configuration;
using static Marketplace.Domain.Tests.TestMarket;

namespace Marketplace.Domain.Tests;

// The rules nobody wrote down, as decided.
public sealed class The_quoting_rules
{
    static readonly Marketplace.Reference.MarketReference Reference = Seeded.Reference;

    static QuoteResult Quote(QuoteDemand demand, params OfferCapacity[] catalog) =>
        new Quoter(Reference, new QuotingPolicy()).Quote(demand, catalog);

    static QuoteRequest Request(WorkloadKind workload) => new()
    {
        TenantId = "tenant-a",
        AcceleratorHours = new AcceleratorHours { AcceleratorModel = "H20", Hours = 64 },
        Accelerators = 8,
        Window = new TimeWindow { Start = Valid.At(T0), End = Valid.At(T0.AddDays(7)) },
        Workload = workload,
    };

    [Fact]
    public void A_lease_shorter_than_the_offers_minimum_is_stretched_to_it_and_charged_for_it()
    {
        var site = DataCenter("guizhou-site", "guizhou");
        var demand = Demand(WorkloadKind.Batch, accelerators: 8, hoursEach: 3, model: "Ascend-910B");

        var plan = Assert.Single(Quote(demand, Offer(site, "min-24", "Ascend-910B", 6.30m, free: 8, minLeaseHours: 24)).Options);
        var placement = Assert.Single(plan.ToProto("quote-1", "tenant-a", 1, Valid.At(T0)).Placements);

        Assert.Equal(6.30m * 8 * 24, plan.Total);
        Assert.Equal(T0, placement.Window.Start.ToDateTimeOffset());
        Assert.Equal(T0.AddHours(24), placement.Window.End.ToDateTimeOffset());
        Assert.Equal(6.30m * 8 * 24, placement.Breakdown.Compute.ToDecimal());
    }

    [Fact]
    public void Data_already_in_the_sites_region_is_neither_charged_nor_waited_for()
    {
        var (guizhou, gansu) = (DataCenter("guizhou-site", "guizhou", transferInPerGb: 0.02m), DataCenter("gansu-site", "gansu"));
        var demand = Demand(WorkloadKind.Batch, 8, 8) with { DataRegionId = "guizhou", DataSizeGb = 10_240 };

        var options = Quote(demand, Offer(guizhou, "in-guizhou", "H20", 4.20m, free: 8), Offer(gansu, "in-gansu", "H20", 4.20m, free: 8))
            .Options.Select(o => Assert.Single(o.Parts)).ToDictionary(p => p.OfferId);

        var local = options["in-guizhou"];
        Assert.Equal((0m, 0.0, T0), (local.Transfer, local.TransferHours, local.Start));
        Assert.Equal(4.20m * 8 * 8, local.Total);
        var remote = options["in-gansu"];
        Assert.Equal(10_240 * Reference.Transfer.CrossHubPerGb, remote.Transfer); // two western hubs
        Assert.Equal(T0.AddHours(3), remote.Start); // 10 TB at 10 Gbps: 2.3 hours
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Inference_without_a_positive_latency_limit_is_an_invalid_argument_on_that_field(int limit)
    {
        var request = Request(WorkloadKind.Inference);
        (request.LatencyLimitMs, request.UsersRegionId) = (limit, "shanghai");

        var error = Assert.Throws<InvalidFieldException>(() => QuoteRequestRules.Parse(request, Reference, T0, "CNY"));
        var status = ErrorInterceptor.ToRpc(error);

        Assert.Equal("latency_limit_ms", error.Field);
        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Equal("latency_limit_ms", status.Trailers.GetValue("field"));
    }

    [Theory]
    [InlineData("USD", "CNY")]
    [InlineData("CNY", "EUR")]
    public void A_price_ceiling_in_another_currency_than_the_markets_is_refused_naming_the_markets(string ceiling, string market)
    {
        var request = Request(WorkloadKind.Batch);
        request.PriceCeilingPerHour = Money.FromDecimal(6m, ceiling);

        var error = Assert.Throws<InvalidFieldException>(() => QuoteRequestRules.Parse(request, Reference, T0, market));

        Assert.Equal("price_ceiling_per_hour", error.Field);
        Assert.Equal($"price_ceiling_per_hour: must be in {market}, the market's currency", error.Message);
    }

    [Fact]
    public void A_price_ceiling_in_the_markets_currency_is_kept()
    {
        var request = Request(WorkloadKind.Batch);
        request.PriceCeilingPerHour = Money.FromDecimal(6m, "EUR");

        Assert.Equal(6m, QuoteRequestRules.Parse(request, Reference, T0, "EUR").PriceCeilingPerHour);
    }

    [Fact]
    public void The_markets_currency_is_CNY_unless_configured_under_Broker_Quoting()
    {
        var configured = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Broker:Quoting:Currency"] = "EUR" })
            .Build().GetSection(QuotingPolicy.Section).Get<QuotingPolicy>()!;

        Assert.Equal("CNY", new QuotingPolicy().Currency);
        Assert.Equal("EUR", configured.Currency);
    }

    public static TheoryData<WorkloadKind, string, string?, string> RoundTrips => new()
    {
        // workload, users' region (empty: none), data's region, the region the round trip is measured from
        { WorkloadKind.Batch, "shanghai", null, "shanghai" },
        { WorkloadKind.Batch, "", "beijing", "beijing" },
        { WorkloadKind.Training, "shanghai", "beijing", "shanghai" },
        { WorkloadKind.Training, "", "guangdong", "guangdong" },
        { WorkloadKind.Inference, "shanghai", "beijing", "shanghai" },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void A_placements_round_trip_is_from_the_users_region_else_the_datas_for_every_workload(
        WorkloadKind workload, string usersRegion, string? dataRegion, string from)
    {
        var request = Request(workload);
        request.UsersRegionId = usersRegion;
        if (workload == WorkloadKind.Inference)
            request.LatencyLimitMs = 1000;
        if (dataRegion is not null)
            request.Data = new DataLocation { RegionId = dataRegion, SizeGb = 100 };
        var site = DataCenter("gansu-site", "gansu");

        var plan = Quote(QuoteRequestRules.Parse(request, Reference, T0, "CNY"), Offer(site, "in-gansu", "H20", 4.20m, free: 8)).Options[0];
        var placement = Assert.Single(plan.ToProto("quote-1", "tenant-a", 1, Valid.At(T0)).Placements);

        var expected = Reference.Latencies.RoundTripMs(from, "gansu")!.Value;
        Assert.Equal(expected, placement.RttMs);
        // Only inference pays for the distance.
        var penalty = workload == WorkloadKind.Inference
            ? Marketplace.Pricing.Fen.ToYuan(Marketplace.Pricing.Fen.Round((decimal)expected * 0.02m * 8 * 8))
            : 0;
        Assert.Equal(penalty, plan.LatencyPenalty);
        Assert.True(workload != WorkloadKind.Inference || penalty > 0);
    }

    [Fact]
    public void A_placement_with_neither_the_users_nor_the_datas_region_has_no_round_trip()
    {
        var plan = Quote(QuoteRequestRules.Parse(Request(WorkloadKind.Batch), Reference, T0, "CNY"),
            Offer(DataCenter("gansu-site", "gansu"), "in-gansu", "H20", 4.20m, free: 8)).Options[0];

        Assert.Null(plan.Parts[0].RttMs);
        Assert.Equal(0, Assert.Single(plan.ToProto("quote-1", "tenant-a", 1, Valid.At(T0)).Placements).RttMs);
    }

    [Fact]
    public void An_excluded_offers_would_cost_is_rounded_to_the_fen_half_away_from_zero()
    {
        // 1.0005 x 1 accelerator x 10 hours = 10.005: 10.00 by banker's rounding, 10.01 by the market's rule.
        var site = DataCenter("gansu-site", "gansu");
        var result = Quote(Demand(WorkloadKind.Batch, 1, 10) with { PriceCeilingPerHour = 1.00m },
            Offer(site, "dear", "H20", 1.0005m, free: 8));

        Assert.Equal(10.01m, Assert.Single(result.Exclusions).WouldCost);
    }
}
