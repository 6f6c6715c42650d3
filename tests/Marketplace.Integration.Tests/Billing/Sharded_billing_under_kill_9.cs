using System.Diagnostics;
using Marketplace.Billing;
using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Billing;

// Two billing processes share the usage queue and a ledger split into 3 shards on a 6-node Redis Cluster.
// Tenants in every shard hold vouchers of one program whose budget is far below what they would claim,
// so shards keep asking the program for more (grant.lua) while they post (ledger.lua): two writes on two
// slots. One of the two processes is killed with SIGKILL at seeded moments, some usage is published twice,
// and the killed one starts again. Then: every usage applied once; each tenant billed its hours to the fen
// (what it owes plus what its voucher paid); no voucher beyond its cap; the program never beyond its
// budget, its grants to the shards never beyond it either, and what the shards spent within what they were
// granted. Replay with MARKETPLACE_TEST_SEED=<seed>.
[Collection(MarketCollection.Name)]
public sealed class Sharded_billing_under_kill_9(MarketFixture fixture, ITestOutputHelper output)
{
    const int Shards = 3, VoucherTenants = 16, PlainTenants = 8, Hours = 120, Kills = 3;
    const decimal Budget = 400m, CapPerTenant = 60m;
    const double DuplicateShare = 0.03;

    readonly MarketUnderTest _market = fixture.Market;
    readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Bills_every_hour_once_and_keeps_the_voucher_budget_while_one_of_two_billings_is_killed()
    {
        var seed = Faults.FaultSettings.NewSeed();
        Say($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = timeout.Token;

        await using var cluster = await RedisClusterProcess.StartAsync(ct);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.ConnectionString);
        var shards = new LedgerShards(new BillingOptions { LedgerShards = Shards });
        var settings = MarketUnderTest.With(MarketUnderTest.CommonSettings(_market.Servers),
            ("ConnectionStrings:Redis", cluster.ConnectionString), ("Billing:LedgerShards", $"{Shards}"),
            ("Bus:EndpointPrefix", Samples.UniqueId("billing-shards-kill")));
        var billings = new ServiceProcess?[2];
        async Task<ServiceProcess> StartAsync(int i) =>
            billings[i] = await ServiceProcess.StartConfiguredAsync("Marketplace.Billing.dll", settings, ct);
        try
        {
            await StartAsync(0);
            await StartAsync(1);
            var token = MarketUnderTest.TokenFor(MarketRoles.Operator, "operator-shards");
            var ops = new BillingService.BillingServiceClient(TestChannels.For(billings[0]!.Address, token));
            var program = await ops.CreateVoucherProgramAsync(new CreateVoucherProgramRequest
            {
                Program = new VoucherProgram
                {
                    Issuer = "Gansu Qingyang compute hub", Name = "Shared voucher under faults",
                    Budget = Money.FromDecimal(Budget, "CNY"), CapPerTenant = Money.FromDecimal(CapPerTenant, "CNY"),
                    TenantCopayPercent = 30, ExpiresAt = BillingSteps.At(BillingSteps.Hour0.AddYears(1)),
                },
            }, cancellationToken: ct);
            var tenants = new List<(string Id, string VoucherId, Marketplace.Broker.V1.Lease Lease)>();
            for (var i = 0; i < VoucherTenants + PlainTenants; i++)
            {
                var tenant = Samples.UniqueId($"tenant-kill-shard{i}");
                var voucherId = i < VoucherTenants
                    ? (await ops.GrantVoucherAsync(new GrantVoucherRequest { ProgramId = program.Id, TenantId = tenant }, cancellationToken: ct)).Id
                    : "";
                var lease = BillingSteps.Lease(tenant, random.Next(300, 1000) / 100m, voucherId);
                lease.Window.End = BillingSteps.At(BillingSteps.Hour0.AddHours(Hours));
                tenants.Add((tenant, voucherId, lease));
            }
            var usages = tenants.SelectMany(t => Enumerable.Range(0, Hours).Select(h => BillingSteps.Usage(t.Lease, h))).ToList();
            var sends = usages.Concat(usages.Where(_ => random.NextDouble() < DuplicateShare)).OrderBy(_ => random.Next()).ToList();
            await using (var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri))
                foreach (var t in tenants)
                    await bus.OpenAsync(t.Lease);

            // Act: usage flows while one billing or the other is killed at seeded points of the ledger's progress.
            async Task<long> ProgressAsync() =>
                (await Task.WhenAll(shards.All.Select(s => redis.GetDatabase().SetLengthAsync(s.Applied)))).Sum();
            var chaos = Task.Run(async () =>
            {
                for (var k = 0; k < Kills; k++)
                {
                    var point = usages.Count * (k + 0.5 + random.NextDouble()) / (Kills + 1);
                    while (await ProgressAsync() < point)
                        await Task.Delay(10, ct);
                    var victim = random.Next(2);
                    await billings[victim]!.KillAsync();
                    Say($"kill -9 billing {victim} at {await ProgressAsync()} applied");
                    await Task.Delay(random.Next(100, 1500), ct);
                    await StartAsync(victim);
                }
            }, ct);
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
                for (var i = Interlocked.Increment(ref next); i < sends.Count; i = Interlocked.Increment(ref next))
                    await bus.PublishAsync(sends[i], ct);
            }, ct)));
            await chaos;
            await Eventually.TrueAsync(async () => await ProgressAsync() == usages.Count,
                $"all {usages.Count} usages applied (seed {seed})", TimeSpan.FromMinutes(2));
            await Task.Delay(1000, ct); // anything applied twice would show by now
            Say($"all {usages.Count} applied");

            // Assert: each tenant billed its hours once, to the fen (asked of a billing that is up now).
            Assert.Equal(usages.Count, await ProgressAsync());
            ops = new BillingService.BillingServiceClient(TestChannels.For(billings[0]!.Address, token));
            var vouchersPaid = 0m;
            foreach (var t in tenants)
            {
                var expected = ExpectedCharges.Of(t.Lease, usages.Where(u => u.LeaseId == t.Lease.Id)).AmountFen / 100m;
                var paid = t.VoucherId.Length == 0 ? 0
                    : (await ops.GetVoucherAsync(new GetVoucherRequest { VoucherId = t.VoucherId }, cancellationToken: ct)).Spent.ToDecimal();
                Assert.InRange(paid, 0m, CapPerTenant);
                Assert.Equal(expected, await ops.BalanceAsync(AccountKind.Tenant, t.Id) + paid);
                vouchersPaid += paid;
            }

            // The budget held: the program's grants to the shards within it, each shard's spend within its grant.
            var programKey = (RedisKey)$"billing:{{b}}:program:{program.Id}";
            var granted = (long)await redis.GetDatabase().HashGetAsync(programKey, "granted");
            Assert.Equal((long)(Budget * 100), granted); // the claims far exceed it: all of it granted, none beyond
            foreach (var shard in shards.All)
            {
                var grant = (long?)await redis.GetDatabase().HashGetAsync(programKey, $"g:{shard.Index}") ?? 0;
                var spentThere = (long?)await redis.GetDatabase().HashGetAsync(shard.ProgramSpend(program.Id), "spent") ?? 0;
                Say($"shard {shard}: granted {grant / 100m}, spent {spentThere / 100m}");
                Assert.InRange(spentThere, 0, grant);
            }
            var programSpent = (await ops.GetVoucherProgramAsync(new GetVoucherProgramRequest { ProgramId = program.Id })).Spent.ToDecimal();
            Assert.Equal(vouchersPaid, programSpent);
            Assert.InRange(programSpent, 0m, Budget);
            Say($"vouchers paid {vouchersPaid} of a budget of {Budget}; granted {granted / 100m}");
        }
        finally
        {
            foreach (var billing in billings)
                if (billing is not null)
                    await billing.DisposeAsync();
        }
    }

    void Say(string line) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {line}");
}
