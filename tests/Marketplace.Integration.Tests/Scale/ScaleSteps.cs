using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Events.V1;
using Marketplace.Integration.Tests.Billing;
using Marketplace.Integration.Tests.Faults;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Scale;

// What the tests of a market on clusters do alike: lease as a client does through a failover, and check
// that the ledger equals the usage.
static class ScaleSteps
{
    // A training job of `units` accelerators for `hours` hours from `start`, in one region.
    public static QuoteRequest Training(string tenant, string model, string region, int units, int hours, DateTimeOffset start) => new()
    {
        TenantId = tenant,
        AcceleratorHours = new AcceleratorHours { AcceleratorModel = model, Hours = units * hours },
        Accelerators = units,
        Workload = WorkloadKind.Training,
        Window = new TimeWindow { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(start.AddHours(hours)) },
        AllowedRegionIds = { region },
    };

    // A lease as a real client gets one while servers fail: every call with a deadline; the same accept
    // (same idempotency key) again while the market says "try again", pausing between rounds as a client
    // backs off; a fresh quote when the market is unavailable, the quote it got was lost ("not found":
    // answered while its write failed) or can no longer be had. `broker` may pick another broker each round. Returns the lease id.
    public static async Task<string> LeaseThroughFaultsAsync(Func<BrokerService.BrokerServiceClient> broker, Func<QuoteRequest> demand,
        Random random, Action<string> say, TimeSpan within, CancellationToken ct)
    {
        var deadlines = new Random(random.Next());
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var client = broker();
            Quote? quote = null;
            try
            {
                quote = (await client.RequestQuoteAsync(demand(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct)).Options.FirstOrDefault();
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted
                                         && !ct.IsCancellationRequested)
            {
                say($"quote {e.StatusCode}; asking again");
            }
            if (quote is not null)
            {
                var accept = new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = $"accept-{quote.Id}" };
                AcceptAnswer answer;
                do // through whichever broker `broker` gives now: the same key, whichever broker began the accept
                {
                    answer = await broker().AcceptLikeAnImpatientClientAsync(accept,
                        () => AcceptSteps.ClientDeadline(deadlines, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(4)), tries: 3, clock,
                        a => { if (a.Status != StatusCode.OK) say(a.ToString()); }, ct);
                } while (answer.ToRetry && clock.Elapsed < within && await PauseAsync(ct));
                if (answer.LeaseId is { } leaseId)
                    return leaseId;
                // Lost, or outlived by the wait (its start passed, or its capacity went): a new quote, as the answer says.
                Assert.True(answer.Status is StatusCode.NotFound or StatusCode.FailedPrecondition, $"the accept of {quote.Id} ended {answer}");
            }
            Assert.True(clock.Elapsed < within, $"no lease within {within.TotalSeconds:0} s");
            await PauseAsync(ct);
        }
    }

    public static IEnumerable<UsageRecorded> UsageOf(IReadOnlyList<IMessage> seen, Lease lease) =>
        seen.Once<UsageRecorded>().Where(u => u.LeaseId == lease.Id);

    // Each usage event of the lease is one posting on its tenant's account, and the postings add up, to the
    // fen, to what the market's one pricing rule says those usages cost.
    public static async Task AssertBilledOnceAsync(BillingService.BillingServiceClient billing, Lease lease,
        IReadOnlyList<UsageRecorded> usages, decimal feePercent, Action<string> say, CancellationToken ct)
    {
        var expected = ExpectedCharges.Of(lease, usages, feePercent);
        var entries = await Eventually.GetAsync(async () =>
        {
            var found = await TenantEntriesAsync(billing, lease.TenantId, ct);
            return found.Count >= usages.Count ? found : null;
        }, $"the postings of {lease.Id}", TimeSpan.FromSeconds(30));
        say($"{lease.Id}: {usages.Count} usages, {entries.Count} postings, owes {entries.Sum(e => e.Amount.ToDecimal())} (expected {expected.AmountFen / 100m})");
        Assert.Equal(usages.Count, entries.Count);
        Assert.Equal(usages.Count, entries.Select(e => e.PostingId).Distinct().Count());
        Assert.Equal(expected.AmountFen / 100m, entries.Sum(e => e.Amount.ToDecimal()));
    }

    static async Task<List<LedgerEntry>> TenantEntriesAsync(BillingService.BillingServiceClient billing, string tenant, CancellationToken ct)
    {
        var entries = new List<LedgerEntry>();
        var token = "";
        do
        {
            var page = await billing.ListLedgerEntriesAsync(new ListLedgerEntriesRequest
            {
                Account = new AccountRef { Kind = AccountKind.Tenant, OwnerId = tenant }, PageSize = 500, PageToken = token,
            }, cancellationToken: ct);
            entries.AddRange(page.Entries);
            token = page.NextPageToken;
        } while (token.Length > 0);
        return entries;
    }

    static async Task<bool> PauseAsync(CancellationToken ct)
    {
        await Task.Delay(250, ct);
        return true;
    }
}
