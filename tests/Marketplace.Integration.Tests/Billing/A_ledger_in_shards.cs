using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.Common.V1;
using Marketplace.Integration.Tests.Faults;
using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Billing;

// A billing whose ledger is split into 3 shards by tenant (Billing:LedgerShards), on one Redis and on a
// 6-node Redis Cluster. Seeded tenants of random prices and hours share one voucher program whose budget
// runs out part way; some usage arrives before its lease; redeliveries come after. Then: every tenant's
// hours are billed once in its shard, to the fen; the program pays exactly its budget, no more, and no
// slice of it is left stranded in a shard; the tenants are spread over the shards (and the shards over the
// cluster's masters); the provider's statement and the platform's fees add the shards up; a watcher
// dropped again and again sees every posting once; "$" follows only what comes next; invoices are numbered
// from one sequence without a gap. Replay with MARKETPLACE_TEST_SEED=<seed>.
[Collection(MarketCollection.Name)]
public sealed class A_ledger_in_shards(MarketFixture fixture, ITestOutputHelper output)
{
    // Shared in turn with Invoices_across_a_crash (same collection, so never at once; each empties it first).
    const int Database = 15;
    const int Shards = 3, VoucherTenants = 12, PlainTenants = 2, Units = 2;
    const decimal Budget = 100m, CapPerTenant = 30m;
    static readonly DateTimeOffset Epoch = new(2032, 6, 15, 10, 30, 0, TimeSpan.Zero);
    static readonly DateTimeOffset Month = new(2032, 6, 1, 0, 0, 0, TimeSpan.Zero);

    readonly MarketUnderTest _market = fixture.Market;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bills_each_tenant_once_in_its_shard_within_one_shared_voucher_budget(bool onCluster)
    {
        var seed = FaultSettings.NewSeed();
        output.WriteLine($"seed {seed}; replay with MARKETPLACE_TEST_SEED={seed}");
        var random = new Random(seed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;

        await using var cluster = onCluster ? await RedisClusterProcess.StartAsync(ct) : null;
        if (cluster is null)
            await OwnBilling.EmptyAsync(_market, Database);
        var redis = cluster?.ConnectionString ?? $"{_market.Servers.RedisConnectionString},defaultDatabase={Database}";
        await using var billing = await OwnBilling.StartAsync(_market, Database, Samples.UniqueId("billing-shards"),
            ("ConnectionStrings:Redis", redis), ("Billing:LedgerShards", $"{Shards}"),
            ("MarketClock:Anchor", DateTimeOffset.UtcNow.ToString("O")), ("MarketClock:Epoch", Epoch.ToString("O")),
            ("Billing:InvoiceCloseInterval", "01:00:00"));
        var ops = billing.Operator;

        var program = await ops.CreateVoucherProgramAsync(new CreateVoucherProgramRequest
        {
            Program = new VoucherProgram
            {
                Issuer = "Ningxia Western Cloud Computing Administration", Name = "Shared SME compute voucher",
                Budget = Money.FromDecimal(Budget, "CNY"), CapPerTenant = Money.FromDecimal(CapPerTenant, "CNY"),
                TenantCopayPercent = 40, ExpiresAt = BillingSteps.At(Epoch.AddDays(30)),
            },
        }, cancellationToken: ct);

        // Tenants with random prices and hours; most hold a voucher of the one program.
        var tenants = new List<(string Id, string VoucherId, decimal Price, int Hours, Marketplace.Broker.V1.Lease Lease)>();
        for (var i = 0; i < VoucherTenants + PlainTenants; i++)
        {
            var tenant = Samples.UniqueId($"tenant-shard{i}");
            var voucherId = i < VoucherTenants
                ? (await ops.GrantVoucherAsync(new GrantVoucherRequest { ProgramId = program.Id, TenantId = tenant }, cancellationToken: ct)).Id
                : "";
            var price = random.Next(300, 1000) / 100m;
            tenants.Add((tenant, voucherId, price, random.Next(3, 9), BillingSteps.Lease(tenant, price, voucherId)));
        }
        var early = tenants.OrderBy(_ => random.Next()).Take(3).Select(t => t.Id).ToHashSet();
        var usages = tenants.ToDictionary(t => t.Id, t => Enumerable.Range(0, t.Hours).Select(h => UsageAt(t.Lease, h)).ToList());

        // Act: usage of three tenants before their leases are heard of; the rest in a seeded order.
        await using (var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri))
        {
            foreach (var t in tenants.Where(t => early.Contains(t.Id)))
                await bus.PublishAsync(usages[t.Id][0], ct);
            foreach (var t in tenants)
                await bus.OpenAsync(t.Lease);
            foreach (var usage in usages.SelectMany(u => early.Contains(u.Key) ? u.Value.Skip(1) : u.Value).OrderBy(_ => random.Next()))
                await bus.PublishAsync(usage, ct);
        }
        decimal Amount((string Id, string VoucherId, decimal Price, int Hours, Marketplace.Broker.V1.Lease Lease) t) => t.Price * Units * t.Hours;
        await Eventually.TrueAsync(async () =>
        {
            foreach (var t in tenants)
                if (await ops.BalanceAsync(AccountKind.Tenant, t.Id) + await SpentAsync(ops, t.VoucherId) != Amount(t))
                    return false;
            return true;
        }, $"every tenant's hours billed (seed {seed})", TimeSpan.FromSeconds(60));

        // Redeliveries change nothing.
        var before = await LedgerAsync(ops, tenants.Select(t => (t.Id, t.VoucherId)));
        await using (var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri))
            foreach (var usage in usages.Values.SelectMany(u => u).OrderBy(_ => random.Next()).Take(15))
                await bus.PublishAsync(usage, ct);
        await Task.Delay(1500, ct);
        Assert.Equal(before, await LedgerAsync(ops, tenants.Select(t => (t.Id, t.VoucherId))));

        // Each tenant billed its hours once, to the fen: what it owes plus what its voucher paid.
        foreach (var t in tenants)
            Assert.Equal(Amount(t), await ops.BalanceAsync(AccountKind.Tenant, t.Id) + await SpentAsync(ops, t.VoucherId));

        // The program paid exactly its budget (the demand is well above it): every shard's slice spent, none
        // stranded, never more; each voucher within its cap; the reconciliation adds up to the same.
        var spent = new List<(string Id, decimal Fen)>();
        foreach (var t in tenants.Where(t => t.VoucherId.Length > 0))
            spent.Add((t.Id, await SpentAsync(ops, t.VoucherId)));
        Assert.True(spent.Sum(s => s.Fen) == Budget, $"seed {seed}: vouchers paid {spent.Sum(s => s.Fen)} of a budget of {Budget}");
        Assert.All(spent, s => Assert.InRange(s.Fen, 0m, CapPerTenant));
        Assert.Equal(Budget, (await ops.GetVoucherProgramAsync(new GetVoucherProgramRequest { ProgramId = program.Id })).Spent.ToDecimal());
        var reconciliation = await ops.GetVoucherReconciliationAsync(new GetVoucherReconciliationRequest { ProgramId = program.Id });
        Assert.Equal(Budget, reconciliation.Spend.Sum(s => s.Amount.ToDecimal()));

        // The provider's statement and the platform's fees are the shards added up.
        var gross = tenants.Sum(Amount);
        var statement = await ops.GetProviderStatementAsync(new GetProviderStatementRequest
        {
            ProviderId = "test-provider",
            Period = new TimeWindow { Start = BillingSteps.At(Month), End = BillingSteps.At(Month.AddMonths(1)) },
        });
        Assert.Equal(gross, statement.Gross.ToDecimal());
        Assert.Equal(gross, statement.Payable.ToDecimal() + statement.PlatformFee.ToDecimal());
        Assert.Equal(-statement.PlatformFee.ToDecimal(), await ops.BalanceAsync(AccountKind.PlatformFee, ""));

        // The tenants are spread over the shards, and on a cluster the shards over the masters.
        var shards = await ShardsInUseAsync(redis);
        Assert.True(shards.Count >= 2, $"seed {seed}: postings in {shards.Count} shard(s): {string.Join(", ", shards)}");
        if (cluster is not null)
            Assert.True(shards.Select(s => s.Server).Distinct().Count() >= 2, $"seed {seed}: shards on one master: {string.Join(", ", shards)}");

        // A watcher dropped again and again sees every posting once.
        var hours = usages.Values.Sum(u => u.Count);
        await using var watcher = new WatchClient(ops, new WatchBillingEventsRequest());
        var seen = new List<BillingEvent>();
        while (seen.Count < hours)
        {
            var taken = await watcher.TakeAsync(Math.Min(random.Next(1, 12), hours - seen.Count));
            Assert.True(taken.Count > 0, $"seed {seed}: the watcher got nothing after {seen.Count} of {hours}");
            seen.AddRange(taken);
            watcher.Drop();
        }
        Assert.Equal(hours, seen.Select(e => e.Posting.SourceEventId).Distinct().Count());
        Assert.Equal(usages.Values.SelectMany(u => u).Select(u => u.EventId).Order(), seen.Select(e => e.Posting.SourceEventId).Order());
        await using (var after = new WatchClient(ops, new WatchBillingEventsRequest { FromCursor = watcher.Cursor }))
            Assert.Empty(await NoneWithinAsync(after, TimeSpan.FromSeconds(1)));

        // "$" follows only what comes next, and a cursor of another shard count is refused.
        var last = tenants[^1];
        await using var follower = new WatchClient(ops, new WatchBillingEventsRequest { FromCursor = "$" });
        var next = follower.TakeAsync(1);
        await Task.Delay(500, ct);
        var more = UsageAt(last.Lease, last.Hours);
        await using (var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri))
            await bus.PublishAsync(more, ct);
        Assert.Equal(more.EventId, Assert.Single(await next).Posting.SourceEventId);
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            new WatchClient(ops, new WatchBillingEventsRequest { FromCursor = seen[^1].Cursor.Split(',').First(id => id.Length > 0) }).TakeAsync(1));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);

        // Closing the month issues each tenant its invoice, numbered 1..n from the one sequence.
        var closed = await ops.CloseBillingPeriodAsync(new CloseBillingPeriodRequest());
        Assert.Equal(tenants.Select(t => t.Id).Order(), closed.Invoices.Select(i => i.TenantId).Order());
        Assert.Equal(Enumerable.Range(1, tenants.Count).Select(n => (long)n), closed.Invoices.Select(i => i.Number).Order());
        foreach (var invoice in closed.Invoices)
        {
            var t = tenants.Single(x => x.Id == invoice.TenantId);
            var extra = t.Id == last.Id ? t.Price * Units : 0;
            Assert.Equal(Amount(t) + extra, invoice.Total.ToDecimal());
            Assert.Equal(await ops.BalanceAsync(AccountKind.Tenant, t.Id), invoice.TenantDue.ToDecimal());
        }

        // The shard count is fixed once the ledger has data: a billing with another count refuses to start.
        var otherCount = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var other = await OwnBilling.StartAsync(_market, Database, Samples.UniqueId("billing-shards-other"),
                ("ConnectionStrings:Redis", redis), ("Billing:LedgerShards", "2"));
        });
        Assert.Contains($"split into {Shards} shards", otherCount.ToString());
    }

    // An hour of the lease in the market's June, before the early close's cut.
    static Marketplace.Events.V1.UsageRecorded UsageAt(Marketplace.Broker.V1.Lease lease, int hour)
    {
        var usage = BillingSteps.Usage(lease, hour);
        usage.Interval = new TimeWindow { Start = BillingSteps.At(Month.AddHours(hour)), End = BillingSteps.At(Month.AddHours(hour + 1)) };
        return usage;
    }

    // What the watcher gets within the time: a stream that stays quiet ends in a cancelled call.
    static async Task<IReadOnlyList<BillingEvent>> NoneWithinAsync(WatchClient watcher, TimeSpan within)
    {
        try
        {
            return await watcher.TakeAsync(1, within);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            return [];
        }
    }

    static async Task<decimal> SpentAsync(BillingService.BillingServiceClient billing, string voucherId) =>
        voucherId.Length == 0 ? 0 : (await billing.GetVoucherAsync(new GetVoucherRequest { VoucherId = voucherId })).Spent.ToDecimal();

    static async Task<List<(string, decimal, decimal)>> LedgerAsync(BillingService.BillingServiceClient billing,
        IEnumerable<(string Tenant, string VoucherId)> tenants)
    {
        var rows = new List<(string, decimal, decimal)>();
        foreach (var (tenant, voucherId) in tenants)
            rows.Add((tenant, await billing.BalanceAsync(AccountKind.Tenant, tenant), await SpentAsync(billing, voucherId)));
        return rows;
    }

    // The shards with postings (their `applied` sets), and the server each is on.
    static async Task<List<(string Key, string Server)>> ShardsInUseAsync(string connection)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connection);
        var found = new List<(string, string)>();
        foreach (var server in redis.GetServers().Where(s => !s.IsReplica))
            await foreach (var key in server.KeysAsync(redis.GetDatabase().Database, "billing:{b*}:applied"))
                found.Add(((string)key!, server.EndPoint.ToString()!));
        return found;
    }
}
