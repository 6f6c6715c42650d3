using System.Diagnostics;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Integration.Tests.Faults;
using Marketplace.Pricing;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Time;
using Marketplace.Testing.Market;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Billing;

// The quote is the bill. A market of the test's own (provider, billing, broker on one clock running an hour
// a second) lists random sites and offers at sub-fen prices; tenants, some with compute vouchers, accept the
// cheapest option for random demands and the leases run to their end. Then, per lease and to the fen, the
// invoice lines sum to the accepted quote (compute, voucher share, tenant due), the platform's fee is 10 % of
// the compute as Marketplace.Pricing rounds it, each provider's statement ties to its ledger entries, and
// every posting sums to zero. One voucher has a small cap: the quote's share is an estimate there, billing
// never pays past the cap, and the tenant still owes the amount less what the voucher paid.
// Replay a run with MARKETPLACE_TEST_SEED=<the printed seed>.
[Collection(MarketCollection.Name)]
public sealed class A_quote_billed_to_the_fen(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 15;          // this test's provider, billing and broker (other tests use 0-3, 5, 6-14)
    const double Speed = 3600;        // an hour a second
    const decimal FeePercent = 10m;   // Billing:PlatformFeePercent
    const int LeadHours = 3;          // a quote's earliest start: its accept is done well before the lease starts
    const string Currency = "CNY";

    // Domestic models only: every other test quotes H20, so neither side's quotes see the other's offers.
    static readonly string[] Models = ["Ascend-910B", "MLU370-X8", "DCU-Z100"];

    static readonly (string Region, string Hub)[] Regions =
    [
        ("guizhou", "guizhou"), ("gansu", "gansu"), ("ningxia", "ningxia"), ("inner-mongolia", "inner-mongolia"),
        ("shanghai", "yangtze-river-delta"), ("beijing", "beijing-tianjin-hebei"), ("sichuan", "chengdu-chongqing"),
    ];

    sealed record Site(string Id, string ProviderId, string RegionId, string HubId);

    // A voucher program as the test made it; Ample: its cap and budget are never reached.
    sealed record Scheme(string Name, VoucherProgram Program, bool Ample)
    {
        public VoucherCover Cover => VoucherCover.Of(Program.TenantCopayPercent, Program.ExpiresAt.ToDateTimeOffset(),
            Program.ExpiresAt.ToDateTimeOffset(), Program.EligibleRegionIds.ToHashSet(), Program.EligibleProviderIds.ToHashSet());
    }

    sealed record Accepted(int Index, string Why, QuoteRequest Request, Quote Quote, Lease Lease, Scheme? Voucher);

    [Fact]
    public async Task Bills_random_leases_run_on_an_accelerated_clock_exactly_as_quoted()
    {
        var seed = FaultSettings.NewSeed();
        Say($"seed {seed} (replay with MARKETPLACE_TEST_SEED={seed})");
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var run = Guid.NewGuid().ToString("N")[..6];

        await using var market = await AcceleratedMarket.StartAsync(fixture.Market, Database, Speed, FeePercent);
        var setupAt = market.Now;
        var period = new TimeWindow
        {
            Start = Timestamp.FromDateTimeOffset(WholeHours.Floor(setupAt).AddDays(-1)),
            End = Timestamp.FromDateTimeOffset(WholeHours.Floor(setupAt).AddDays(30)),
        };
        Say($"market up in {clock.Elapsed.TotalSeconds:0.0} s; market time {setupAt:u}");

        // Sites and offers.
        var providers = Enumerable.Range(0, 2 + random.Next(2)).Select(i => $"prov-{run}-{i}").ToList();
        var sites = Enumerable.Range(0, 4 + random.Next(3)).Select(i =>
        {
            var (region, hub) = Regions[random.Next(Regions.Length)];
            return new Site($"site-{run}-{i}", providers[random.Next(providers.Count)], region, hub);
        }).ToList();
        foreach (var site in sites)
            await market.ProviderClient.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = DataCenter(site, random) });

        var pairs = new List<(Site Site, string Model, bool First)>();
        foreach (var model in Models)
            foreach (var (site, n) in sites.OrderBy(_ => random.Next()).Take(2).Select((x, k) => (x, k)))
                pairs.Add((site, model, n == 0));
        for (var extra = random.Next(4); extra > 0; extra--)
        {
            var (site, model) = (sites[random.Next(sites.Count)], Models[random.Next(Models.Length)]);
            if (!pairs.Any(p => p.Site == site && p.Model == model))
                pairs.Add((site, model, false));
        }
        var opens = WholeHours.Ceiling(setupAt);
        var offers = new List<Offer>();
        foreach (var (site, model, first) in pairs)
        {
            offers.Add(await market.ProviderClient.PublishOfferAsync(new PublishOfferRequest
            {
                Offer = new Offer
                {
                    DatacenterId = site.Id,
                    AcceleratorModel = model,
                    Count = 2 + random.Next(11),
                    PricePerHour = Money.FromDecimal(SubFenPrice(random), Currency),
                    Availability = new TimeWindow
                    {
                        Start = Timestamp.FromDateTimeOffset(opens),
                        End = Timestamp.FromDateTimeOffset(opens.AddHours(240)),
                    },
                    MinLeaseHours = random.Next(2) == 0 ? 2 + random.Next(3) : 1,
                    InterconnectDomain = $"{site.Id}/pod-{model}",
                    // Training never runs on interruptible capacity: each model keeps one offer it can use.
                    Interruptible = !first && random.Next(4) == 0,
                },
                IdempotencyKey = $"offer-{run}-{offers.Count}",
            }));
        }
        var mine = offers.Select(o => o.Id).ToHashSet();
        foreach (var offer in offers)
            Say($"offer {offer.Id}: {offer.AcceleratorModel} x{offer.Count} at {offer.PricePerHour.ToDecimal()} {Currency}/h, " +
                $"min {offer.MinLeaseHours} h{(offer.Interruptible ? ", interruptible" : "")}, site {offer.DatacenterId} " +
                $"({string.Join(", ", sites.Where(x => x.Id == offer.DatacenterId).Select(x => $"{x.RegionId}, {x.ProviderId}"))})");

        await CatalogReadyAsync(market, offers);
        Say($"catalog ready at {clock.Elapsed.TotalSeconds:0.0} s");

        // Voucher programs: A covers some regions, B one provider and expires while the leases run, C has a small cap.
        var usedRegions = sites.Select(s => s.RegionId).Distinct().OrderBy(_ => random.Next()).ToList();
        var schemeA = await ProgramAsync(market, "A", copay: 10 + random.Next(61), budget: 1_000_000m, cap: 100_000m,
            expires: setupAt.AddDays(30), regions: usedRegions.Take(Math.Max(1, usedRegions.Count - 1 - random.Next(2))).ToArray());
        var listing = offers.Select(o => o.ProviderId).Distinct().OrderBy(_ => random.Next()).ToList();
        var schemeB = await ProgramAsync(market, "B", copay: random.Next(91), budget: 1_000_000m, cap: 100_000m,
            expires: market.Now.AddHours(LeadHours + 3 + random.Next(3)).AddMinutes(random.Next(60)),
            providers: listing.Skip(listing.Count >= 3 ? 1 : 0).ToArray());
        var schemeC = await ProgramAsync(market, "C", copay: 20 + random.Next(61), budget: 1_000m,
            cap: (1 + random.Next(200)) / 100m, expires: setupAt.AddDays(30), ample: false);
        var tenants = new[] { "a1", "a2", "b", "c", "none" }.Select(t => $"t-{run}-{t}").ToList();
        var vouchers = new Dictionary<string, (Scheme Scheme, Voucher Voucher)>();
        foreach (var (tenant, scheme) in tenants.Zip(new[] { schemeA, schemeA, schemeB, schemeC }))
            vouchers[tenant] = (scheme, await market.BillingClient.GrantVoucherAsync(
                new GrantVoucherRequest { ProgramId = scheme.Program.Id, TenantId = tenant }));
        foreach (var scheme in new[] { schemeA, schemeB, schemeC })
            Say($"voucher program {scheme.Name} {scheme.Program.Id}: co-pay {scheme.Program.TenantCopayPercent} %, " +
                $"cap {scheme.Program.CapPerTenant.ToDecimal()}, expires {scheme.Program.ExpiresAt.ToDateTimeOffset():u}, " +
                $"regions [{string.Join(", ", scheme.Program.EligibleRegionIds)}], providers [{string.Join(", ", scheme.Program.EligibleProviderIds)}]");

        // Demands: the first forces a split (more accelerators than any one site has); then random ones.
        var accepted = new List<Accepted>();
        var count = 7 + random.Next(4);
        var order = tenants.OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < count; i++)
        {
            var tenant = i < order.Count ? order[i] : tenants[random.Next(tenants.Count)];
            var voucher = vouchers.TryGetValue(tenant, out var v) && (accepted.All(a => a.Request.TenantId != tenant) || random.Next(4) != 0)
                ? v : ((Scheme, Voucher)?)null;
            // B's first lease is asked to start the hour before B expires: the voucher stops paying mid-lease.
            var straddle = voucher?.Item1 == schemeB && accepted.All(a => a.Voucher != schemeB)
                ? WholeHours.Floor(schemeB.Program.ExpiresAt.ToDateTimeOffset()).AddHours(-1) : (DateTimeOffset?)null;
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var (request, why) = Demand(random, market.Now, tenant, voucher?.Item2.Id, offers, split: i == 0, straddle);
                var quote = await QuoteAsync(market, request, mine);
                if (quote is null)
                {
                    // Capacity taken by the leases before it, or too far for its latency limit: another demand.
                    Say($"demand {i} ({why}) has no quote on this market's offers; another");
                    Assert.True(i > 0, $"seed {seed}: no quote for the split demand: {request}");
                    continue;
                }
                var (taken, lease) = await AcceptAsync(market, quote, $"k-{run}-{i}", Say);
                accepted.Add(new Accepted(i, why, request, taken, lease, voucher?.Item1));
                Say($"lease {i} {lease.Id}: {why}; {taken.Placements.Count} placement(s) " +
                    $"[{string.Join("; ", taken.Placements.Select(p => $"{p.OfferId} x{p.Units} {p.Window.Start.ToDateTimeOffset():HH}h+{(p.Window.End.ToDateTimeOffset() - p.Window.Start.ToDateTimeOffset()).TotalHours}"))}], " +
                    $"compute {taken.Breakdown.Compute.ToDecimal()}, voucher {taken.Breakdown.VoucherSubsidy.ToDecimal()}, due {taken.Breakdown.TenantDue.ToDecimal()}");
                break;
            }
        }
        Assert.True(accepted.Count >= 6, $"seed {seed}: only {accepted.Count} of {count} demands could be placed");
        Assert.True(accepted[0].Lease.Allocations.Count > 1,
            $"seed {seed}: demand 0 needs more accelerators than any one site has, yet its quote is not a split: {accepted[0].Quote}");
        Say($"{accepted.Count} leases accepted at {clock.Elapsed.TotalSeconds:0.0} s");

        // Every lease runs to its end and every hour of it is billed.
        var lastEnd = accepted.Max(a => a.Lease.Window.End.ToDateTimeOffset());
        var expectedHours = accepted.ToDictionary(a => a.Lease.Id, a => a.Lease.Allocations.Sum(x => x.Units * Hours(x)));
        async Task<List<string>> UnfinishedAsync()
        {
            var unfinished = new List<string>();
            foreach (var tenant in accepted.Select(a => a.Lease.TenantId).Distinct())
            {
                var billed = (await InvoicesAsync(market, tenant, period)).SelectMany(x => x.Lines)
                    .GroupBy(l => l.LeaseId).ToDictionary(g => g.Key, g => g.Sum(l => l.AcceleratorHours));
                foreach (var a in accepted.Where(a => a.Lease.TenantId == tenant))
                {
                    var state = (await market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = a.Lease.Id })).State;
                    if (billed.GetValueOrDefault(a.Lease.Id) < expectedHours[a.Lease.Id] || state != LeaseState.Ended)
                        unfinished.Add($"lease {a.Index} {a.Lease.Id}: {state}, {billed.GetValueOrDefault(a.Lease.Id)} of " +
                                       $"{expectedHours[a.Lease.Id]} accelerator-hours billed; {a.Lease}");
                }
            }
            return unfinished;
        }
        try
        {
            await Eventually.TrueAsync(async () => market.Now >= lastEnd && (await UnfinishedAsync()).Count == 0,
                "every lease to end with every hour billed", market.RealUntil(lastEnd) + TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"seed {seed}: by {market.Now:u} (the last lease ended {lastEnd:u}), not every lease ended and was billed:\n" +
                        string.Join("\n", await UnfinishedAsync()));
        }
        await Task.Delay(300); // a moment more, to catch anything billed twice
        Say($"billed at {clock.Elapsed.TotalSeconds:0.0} s");

        // What billing says, read by each party with its own token (fees and programs by the operator).
        var invoices = new Dictionary<string, List<Invoice>>();
        var postings = new Dictionary<string, Posting>();
        var tenantEntries = new List<LedgerEntry>();
        foreach (var tenant in accepted.Select(a => a.Lease.TenantId).Distinct())
        {
            invoices[tenant] = await InvoicesAsync(market, tenant, period);
            var entries = await EntriesAsync(market.BillingAsTenant(tenant), AccountKind.Tenant, tenant);
            tenantEntries.AddRange(entries);
            foreach (var posting in await PostingsAsync(market.BillingClient, tenant, entries.Count))
                postings[posting.Id] = posting;
        }
        var statements = new Dictionary<string, (ProviderStatement Statement, List<LedgerEntry> Entries)>();
        foreach (var provider in providers)
        {
            var billing = market.BillingAsProvider(provider);
            statements[provider] = (await billing.GetProviderStatementAsync(new GetProviderStatementRequest { ProviderId = provider, Period = period }),
                await EntriesAsync(billing, AccountKind.ProviderPayable, provider));
        }
        var feeEntries = (await EntriesAsync(market.BillingClient, AccountKind.PlatformFee, ""))
            .Where(e => postings.ContainsKey(e.PostingId)).ToList();
        var spent = new Dictionary<string, decimal>();
        foreach (var (tenant, (_, voucher)) in vouchers)
            spent[tenant] = (await market.BillingAsTenant(tenant).GetVoucherAsync(new GetVoucherRequest { VoucherId = voucher.Id })).Spent.ToDecimal();

        // Per lease, to the fen.
        var problems = new List<string>();
        var expectedByProvider = providers.ToDictionary(p => p, _ => new Charge());
        foreach (var a in accepted)
        {
            var found = new List<string>();
            void Check(bool ok, string what)
            {
                if (!ok) found.Add(what);
            }

            var lease = (await market.BrokerClient.GetLeaseAsync(new GetLeaseRequest { LeaseId = a.Lease.Id }));
            var quoted = a.Quote.Breakdown;
            var lines = invoices[lease.TenantId].SelectMany(x => x.Lines).Where(l => l.LeaseId == lease.Id).ToList();
            var parts = lease.Allocations.Select(Part).ToList();
            var charges = new LeaseCharges(parts, a.Voucher?.Cover, FeePercent);
            var total = charges.Total;
            var exact = Fen.Round(parts.Sum(p => p.HourlyAmount * p.Hours));

            // The lease is the quote accepted.
            Check(lease.Quoted is not null && lease.Quoted.Equals(quoted), $"lease.quoted {lease.Quoted} is not the accepted quote's breakdown {quoted}");
            Check(lease.VoucherId == a.Request.VoucherId, $"lease.voucher_id '{lease.VoucherId}', requested '{a.Request.VoucherId}'");
            Check(lease.Allocations.Count == a.Quote.Placements.Count && lease.Allocations.Zip(a.Quote.Placements).All(x =>
                    x.First.OfferId == x.Second.OfferId && x.First.Units == x.Second.Units && x.First.PricePerHour.Equals(x.Second.PricePerHour)
                    && x.First.Window.Equals(x.Second.Window)),
                "the allocations are not the quote's placements (offer, units, price, window)");

            // The quote, by the market's rounding rule.
            Check(FenOf(quoted.Compute) == exact, $"quoted compute {FenOf(quoted.Compute)} fen, but the hours at their prices come to {exact} fen");
            Check(FenOf(quoted.Compute) == total.AmountFen, $"quoted compute {FenOf(quoted.Compute)} fen, LeaseCharges says {total.AmountFen}");
            Check(FenOf(quoted.TenantDue) == FenOf(quoted.Compute) - FenOf(quoted.VoucherSubsidy),
                $"quoted tenant_due {FenOf(quoted.TenantDue)} fen is not compute {FenOf(quoted.Compute)} less voucher {FenOf(quoted.VoucherSubsidy)}");
            Check(a.Quote.Placements.Sum(p => FenOf(p.Breakdown.Compute)) == FenOf(quoted.Compute)
                  && a.Quote.Placements.Sum(p => FenOf(p.Breakdown.VoucherSubsidy)) == FenOf(quoted.VoucherSubsidy),
                "the placements' compute or voucher do not sum to the quote's");
            if (a.Voucher is not { Ample: false })
                Check(FenOf(quoted.VoucherSubsidy) == total.VoucherFen, $"quoted voucher {FenOf(quoted.VoucherSubsidy)} fen, LeaseCharges says {total.VoucherFen}");
            else
                Check(FenOf(quoted.VoucherSubsidy) <= total.VoucherFen, $"quoted voucher {FenOf(quoted.VoucherSubsidy)} fen exceeds its share {total.VoucherFen}");

            // The invoice says what the quote said.
            var amount = lines.Sum(l => FenOf(l.Amount));
            var covered = lines.Sum(l => FenOf(l.VoucherCovered));
            var due = lines.Sum(l => FenOf(l.TenantDue));
            Check(lines.Sum(l => l.AcceleratorHours) == expectedHours[lease.Id], $"billed {lines.Sum(l => l.AcceleratorHours)} accelerator-hours of {expectedHours[lease.Id]}");
            Check(amount == FenOf(quoted.Compute), $"invoiced amount {amount} fen, quoted compute {FenOf(quoted.Compute)} fen");
            Check(due == amount - covered, $"invoiced tenant_due {due} fen is not amount {amount} less voucher_covered {covered}");
            if (a.Voucher is not { Ample: false })
            {
                Check(covered == FenOf(quoted.VoucherSubsidy), $"invoiced voucher_covered {covered} fen, quoted voucher_subsidy {FenOf(quoted.VoucherSubsidy)} fen");
                Check(due == FenOf(quoted.TenantDue), $"invoiced tenant_due {due} fen, quoted tenant_due {FenOf(quoted.TenantDue)} fen");
            }
            else
                Check(covered <= FenOf(quoted.VoucherSubsidy), $"invoiced voucher_covered {covered} fen is more than the quote's {FenOf(quoted.VoucherSubsidy)} fen");
            // Each site's line is its parts' share (a capped voucher's share among parts depends on which hour was posted first).
            foreach (var site in lease.Allocations.Select((x, i) => (x, i)).GroupBy(x => (x.x.ProviderId, x.x.DatacenterId, x.x.AcceleratorModel)))
            {
                var line = lines.Where(l => (l.ProviderId, l.DatacenterId, l.AcceleratorModel) == site.Key).ToList();
                var (billed, paid) = (line.Sum(l => FenOf(l.Amount)), line.Sum(l => FenOf(l.VoucherCovered)));
                var (owed, share) = (site.Sum(x => charges.OfPart(x.i).AmountFen), site.Sum(x => charges.OfPart(x.i).VoucherFen));
                Check(billed == owed, $"line {site.Key}: amount {billed} fen, its parts come to {owed} fen");
                if (a.Voucher is not { Ample: false })
                    Check(paid == share, $"line {site.Key}: voucher_covered {paid} fen, its parts' share is {share} fen");
            }
            foreach (var (placement, i) in a.Quote.Placements.Select((p, i) => (p, i)))
                Check(FenOf(placement.Breakdown.Compute) == charges.OfPart(i).AmountFen
                      && (a.Voucher is { Ample: false } || FenOf(placement.Breakdown.VoucherSubsidy) == charges.OfPart(i).VoucherFen),
                    $"placement {i}: compute {FenOf(placement.Breakdown.Compute)} fen, voucher {FenOf(placement.Breakdown.VoucherSubsidy)} fen; " +
                    $"LeaseCharges has {charges.OfPart(i)}");
            foreach (var (x, i) in lease.Allocations.Select((x, i) => (x, i)))
                expectedByProvider[x.ProviderId] += charges.OfPart(i);

            // The ledger: one posting per allocation-hour, each summing to zero; fee and payable as LeaseCharges has them.
            var posted = postings.Values.Where(p => p.LeaseId == lease.Id).ToList();
            var posts = tenantEntries.Where(e => posted.Any(p => p.Id == e.PostingId)).Select(e => e.PostingId).ToList();
            Check(posted.Count == lease.Allocations.Sum(Hours) && posts.Count == posted.Count && posts.Distinct().Count() == posts.Count,
                $"{posted.Count} postings ({posts.Count} tenant entries) for {lease.Allocations.Sum(Hours)} allocation-hours");
            foreach (var p in posted.Where(p => p.Entries.Sum(e => FenOf(e.Amount)) != 0))
                Check(false, $"posting {p.Id}'s entries sum to {p.Entries.Sum(e => FenOf(e.Amount))} fen: {p}");
            var ids = posted.Select(p => p.Id).ToHashSet();
            var fee = -feeEntries.Where(e => ids.Contains(e.PostingId)).Sum(e => FenOf(e.Amount));
            var payable = -statements.Values.SelectMany(s => s.Entries).Where(e => ids.Contains(e.PostingId)).Sum(e => FenOf(e.Amount));
            Check(fee == Fen.Percent((long)FenOf(quoted.Compute), FeePercent) && fee == total.FeeFen,
                $"platform fee {fee} fen; {FeePercent} % of the compute {FenOf(quoted.Compute)} fen is {Fen.Percent((long)FenOf(quoted.Compute), FeePercent)}");
            Check(payable == amount - fee, $"provider payable {payable} fen is not amount {amount} less fee {fee}");

            if (found.Count > 0)
                problems.Add(Describe(seed, a, lease, lines, parts, charges, posted, found));
        }

        // Per provider: the statement ties to its entries and to the leases' parts.
        foreach (var (provider, (statement, entries)) in statements)
        {
            var expected = expectedByProvider[provider];
            var (gross, fee, payable) = (FenOf(statement.Gross), FenOf(statement.PlatformFee), FenOf(statement.Payable));
            var owed = -entries.Sum(e => FenOf(e.Amount));
            if (gross != expected.AmountFen || fee != expected.FeeFen || payable != gross - fee || payable != owed)
                problems.Add($"seed {seed}: provider {provider}'s statement: gross {gross} fen (parts: {expected.AmountFen}), fee {fee} fen " +
                             $"(parts: {expected.FeeFen}), payable {payable} fen (gross - fee: {gross - fee}; ledger entries: {owed})\n{statement}");
        }

        // Per voucher: it paid what the invoices say, and a capped one never more than its cap.
        foreach (var (tenant, (scheme, voucher)) in vouchers)
        {
            var used = accepted.Where(a => a.Request.TenantId == tenant && a.Voucher is not null).ToList();
            var covered = invoices.GetValueOrDefault(tenant, []).SelectMany(x => x.Lines).Sum(l => FenOf(l.VoucherCovered));
            var quoted = used.Sum(a => FenOf(a.Quote.Breakdown.VoucherSubsidy));
            var cap = FenOf(voucher.Cap);
            if (FenOf(Money.FromDecimal(spent[tenant], Currency)) != covered)
                problems.Add($"seed {seed}: voucher {voucher.Id} spent {spent[tenant]}, the invoices say it covered {covered} fen");
            if (!scheme.Ample)
            {
                Say($"voucher {scheme.Name}: cap {cap} fen, quoted {quoted} fen over {used.Count} lease(s), paid {covered} fen" +
                    (quoted > cap ? " (exhausted)" : ""));
                if (covered != Math.Min(cap, quoted))
                    problems.Add($"seed {seed}: voucher {voucher.Id} (cap {cap} fen) paid {covered} fen for leases quoted at {quoted} fen; " +
                                 $"expected min(cap, quoted) = {Math.Min(cap, quoted)}");
            }
        }

        // Every invoice's totals are its lines', and it bills only the tenant's leases.
        var leaseIds = accepted.Select(a => a.Lease.Id).ToHashSet();
        foreach (var line in invoices.Values.SelectMany(x => x).SelectMany(x => x.Lines).Where(l => !leaseIds.Contains(l.LeaseId)))
            problems.Add($"seed {seed}: an invoice line for a lease nobody accepted: {line}");
        foreach (var invoice in invoices.Values.SelectMany(x => x))
            if (FenOf(invoice.Total) != invoice.Lines.Sum(l => FenOf(l.Amount)) || FenOf(invoice.VoucherCovered) != invoice.Lines.Sum(l => FenOf(l.VoucherCovered))
                || FenOf(invoice.TenantDue) != invoice.Lines.Sum(l => FenOf(l.TenantDue)))
                problems.Add($"seed {seed}: invoice {invoice.Id}'s totals are not its lines': {invoice}");

        Say($"done in {clock.Elapsed.TotalSeconds:0.0} s: {accepted.Count} leases, {postings.Count} postings, {problems.Count} problem(s)");
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    // ---- the market ----

    static DataCenter DataCenter(Site site, Random random) => new()
    {
        Id = site.Id,
        ProviderId = site.ProviderId,
        Name = $"Quoted-market site {site.Id}",
        RegionId = site.RegionId,
        HubId = site.HubId,
        City = site.RegionId,
        Latitude = 30,
        Longitude = 110,
        Pue = Math.Round(1.1 + random.NextDouble() * 0.4, 2),
        GreenPowerShare = Math.Round(random.NextDouble(), 2),
        ElectricityPricePerKwh = Money.FromDecimal(0.3m, Currency),
        TransferInPricePerGb = Money.FromDecimal(random.Next(3) / 100m, Currency),
        TransferOutPricePerGb = Money.FromDecimal(0.2m, Currency),
    };

    // A price with digits below the fen, e.g. 2.345 or 0.0031 yuan an hour.
    static decimal SubFenPrice(Random random)
    {
        var (decimals, top) = random.Next(3) switch { 0 => (4, 100), 1 => (4, 10_000), _ => (3, 10_000) };
        int k;
        do k = 1 + random.Next(top); while (k % 10 == 0);
        return k / (decimal)Math.Pow(10, decimals);
    }

    async Task<Scheme> ProgramAsync(AcceleratedMarket market, string name, int copay, decimal budget, decimal cap,
        DateTimeOffset expires, string[]? regions = null, string[]? providers = null, bool ample = true)
    {
        var program = await market.BillingClient.CreateVoucherProgramAsync(new CreateVoucherProgramRequest
        {
            Program = new VoucherProgram
            {
                Issuer = "Quoted-market compute office",
                Name = $"program {name}",
                Budget = Money.FromDecimal(budget, Currency),
                CapPerTenant = Money.FromDecimal(cap, Currency),
                TenantCopayPercent = copay,
                ExpiresAt = Timestamp.FromDateTimeOffset(expires),
                EligibleRegionIds = { regions ?? [] },
                EligibleProviderIds = { providers ?? [] },
            },
        });
        return new Scheme(name, program, ample);
    }

    // The broker's catalog starts from the provider's snapshot in the background: wait until it lists every offer.
    static Task CatalogReadyAsync(AcceleratedMarket market, IReadOnlyList<Offer> offers) =>
        Eventually.TrueAsync(async () =>
        {
            foreach (var model in offers.Select(o => o.AcceleratorModel).Distinct())
            {
                var now = market.Now;
                var probe = new QuoteRequest
                {
                    TenantId = "catalog-probe",
                    AcceleratorHours = new AcceleratorHours { AcceleratorModel = model, Hours = 1 },
                    Accelerators = 1,
                    Window = new TimeWindow
                    {
                        Start = Timestamp.FromDateTimeOffset(now.AddHours(LeadHours)),
                        End = Timestamp.FromDateTimeOffset(now.AddHours(200)),
                    },
                    Workload = WorkloadKind.Batch,
                };
                var listed = (await market.BrokerClient.TryQuoteAsync(probe))?.Options.SelectMany(q => q.Placements).Select(p => p.OfferId).ToHashSet();
                if (listed is null || offers.Where(o => o.AcceleratorModel == model).Any(o => !listed.Contains(o.Id)))
                    return false;
            }
            return true;
        }, "the broker's catalog to list every offer", TimeSpan.FromSeconds(30));

    // A random demand a site of this market can take (the first: one only a split can).
    static (QuoteRequest Request, string Why) Demand(Random random, DateTimeOffset now, string tenant, string? voucherId,
        IReadOnlyList<Offer> offers, bool split, DateTimeOffset? startAt)
    {
        var model = Models[random.Next(Models.Length)];
        var kind = split ? WorkloadKind.Batch : (WorkloadKind)(1 + random.Next(3));
        var usable = offers.Where(o => o.AcceleratorModel == model && !(kind == WorkloadKind.Training && o.Interruptible))
            .OrderByDescending(o => o.Count).ToList();
        var accelerators = split ? usable[0].Count + 1 + random.Next(usable[1].Count) : 1 + random.Next(usable[0].Count);
        var hoursEach = startAt is null ? 1 + random.Next(split ? 3 : 4) : 2 + random.Next(3);
        var soonest = now.AddHours(LeadHours);
        var earliest = startAt is { } at ? (at > soonest ? at : soonest) : soonest.AddHours(random.Next(3));
        var request = new QuoteRequest
        {
            TenantId = tenant,
            // Not always a multiple of the accelerators: each then runs the hours rounded up.
            AcceleratorHours = new AcceleratorHours { AcceleratorModel = model, Hours = (long)accelerators * hoursEach - random.Next(accelerators) },
            Accelerators = accelerators,
            Window = new TimeWindow
            {
                Start = Timestamp.FromDateTimeOffset(earliest),
                End = Timestamp.FromDateTimeOffset(WholeHours.Ceiling(earliest).AddHours(10)),
            },
            Workload = kind,
            VoucherId = voucherId ?? "",
        };
        if (kind == WorkloadKind.Inference)
        {
            request.LatencyLimitMs = 40 + random.Next(40);
            request.UsersRegionId = Regions[random.Next(Regions.Length)].Region;
        }
        if (startAt is null && random.Next(4) == 0)
            request.Data = new DataLocation { RegionId = Regions[random.Next(Regions.Length)].Region, SizeGb = 100 + random.Next(4000) };
        var why = $"{tenant}{(voucherId is null ? "" : " with " + voucherId)}{(startAt is null ? "" : $" from {earliest:HH:mm}")}: {kind} {request.AcceleratorHours.Hours} {model}-hours on {accelerators}" +
                  (request.Data is { } data ? $", {data.SizeGb} GB in {data.RegionId}" : "");
        return (request, why);
    }

    // The cheapest option on this market's own offers, asked as the tenant; null when there is none.
    static async Task<Quote?> QuoteAsync(AcceleratedMarket market, QuoteRequest request, IReadOnlySet<string> mine)
    {
        var broker = market.BrokerAs(request.TenantId);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var response = await broker.RequestQuoteAsync(request);
                return response.Options.FirstOrDefault(q => q.Placements.All(p => mine.Contains(p.OfferId)));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted
                                         && e.Trailers.GetValue("retry-after-ms") is { } wait && attempt < 10)
            {
                await Task.Delay(int.Parse(wait));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                return null; // no site can take it
            }
        }
    }

    // Accepts as the tenant; when capacity moved since the quote (the catalog had not heard of the last
    // accept yet), accepts the fresh quote the broker offers instead.
    static async Task<(Quote Quote, Lease Lease)> AcceptAsync(AcceleratedMarket market, Quote quote, string key, Action<string> say)
    {
        var broker = market.BrokerAs(quote.TenantId);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (quote, await broker.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = $"{key}.{attempt}" }));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition
                                         && e.Trailers.GetValue("fresh-quote-id") is { Length: > 0 } fresh && attempt < 3)
            {
                say($"quote {quote.Id} refused ({e.Status.Detail}); accepting the fresh quote {fresh}");
                quote = await broker.GetQuoteAsync(new GetQuoteRequest { QuoteId = fresh });
            }
        }
    }

    // ---- what billing says ----

    static async Task<List<Invoice>> InvoicesAsync(AcceleratedMarket market, string tenant, TimeWindow period) =>
        [.. (await market.BillingAsTenant(tenant).ListInvoicesAsync(new ListInvoicesRequest { TenantId = tenant, Period = period })).Invoices];

    static async Task<List<LedgerEntry>> EntriesAsync(BillingService.BillingServiceClient billing, AccountKind kind, string owner)
    {
        var entries = new List<LedgerEntry>();
        var token = "";
        do
        {
            var page = await billing.ListLedgerEntriesAsync(new ListLedgerEntriesRequest
            {
                Account = new AccountRef { Kind = kind, OwnerId = owner }, PageSize = 500, PageToken = token,
            });
            entries.AddRange(page.Entries);
            token = page.NextPageToken;
        } while (token.Length > 0);
        return entries;
    }

    // The tenant's postings, whole (every entry), replayed from the start of the billing event log.
    static async Task<List<Posting>> PostingsAsync(BillingService.BillingServiceClient billing, string tenant, int expected)
    {
        var postings = new List<Posting>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var call = billing.WatchBillingEvents(new WatchBillingEventsRequest { TenantId = tenant }, cancellationToken: deadline.Token);
        try
        {
            while (postings.Count < expected && await call.ResponseStream.MoveNext(deadline.Token))
                if (call.ResponseStream.Current.Posting is { } posting)
                    postings.Add(posting);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled) { } // fewer than expected: the checks say so
        return postings;
    }

    // ---- money ----

    static LeasePart Part(LeaseAllocation a) =>
        new(a.Units, a.Window.Start.ToDateTimeOffset(), Hours(a), a.PricePerHour.ToDecimal(), a.RegionId, a.ProviderId);

    static int Hours(LeaseAllocation a) => (int)(a.Window.End.ToDateTimeOffset() - a.Window.Start.ToDateTimeOffset()).TotalHours;

    // Money in fen; an amount that is not whole fen stays fractional, so it equals no whole-fen figure.
    // (Dividing by 1.000...m drops trailing zeros, so messages say "141 fen", not "141.00 fen".)
    static decimal FenOf(Money? money) => (money?.ToDecimal() ?? 0) * 100 / 1.000000000000000000000000000000000m;

    static string Describe(int seed, Accepted a, Lease lease, List<InvoiceLine> lines, List<LeasePart> parts, LeaseCharges charges,
        List<Posting> postings, List<string> found)
    {
        var text = new StringBuilder();
        text.AppendLine($"seed {seed}, lease {a.Index} {lease.Id} ({a.Why}), voucher program {a.Voucher?.Program.ToString() ?? "none"}:");
        foreach (var problem in found)
            text.AppendLine($"  - {problem}");
        text.AppendLine($"  request: {a.Request}");
        text.AppendLine($"  quote:   {a.Quote}");
        text.AppendLine($"  lease:   {lease}");
        for (var i = 0; i < parts.Count; i++)
            text.AppendLine($"  part {i}: {parts[i]} -> {charges.OfPart(i)}");
        text.AppendLine($"  LeaseCharges total: {charges.Total}");
        foreach (var line in lines)
            text.AppendLine($"  invoice line: {line}");
        foreach (var posting in postings.OrderBy(p => p.Id, StringComparer.Ordinal))
            text.AppendLine($"  posting {posting.Id}: {string.Join(", ", posting.Entries.Select(e => $"{e.Account.Kind} {FenOf(e.Amount)}"))}");
        return text.ToString();
    }

    void Say(string line) => output.WriteLine(line);
}
