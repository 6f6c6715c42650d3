using System.Diagnostics;
using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Testing.Faults;
using Marketplace.Testing.Market;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Faults;

// Two broker replicas on one Redis database, with an accept's stale age far longer than the test
// (Broker:AcceptStaleAfter 2 min). Replica A reaches the provider through a proxy that stalls, so its
// accept of a quote hangs half-way, holding the accept. The tenant's retry of the same key through replica
// B waits while A lives (its attempt may still finish); once A is killed with SIGKILL, B sees A's attempt
// has no live replica, undoes it and gives the tenant its lease within seconds, not minutes.
[Collection(MarketCollection.Name)]
public sealed class An_accept_whose_broker_died(MarketFixture fixture, ITestOutputHelper output)
{
    const int Database = 12; // shared with the other broker-kill tests (one collection); each reads only its own leases
    const decimal Band = 0.0091m; // no other test quotes there
    readonly MarketUnderTest _market = fixture.Market;
    readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Is_undone_as_soon_as_its_replica_is_gone_and_the_retry_elsewhere_gets_the_lease()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        (string, string)[] slowRecovery = [("Broker:AcceptStaleAfter", "00:02:00"), ("Broker:AcceptTimeout", "00:01:00")];
        var offer = await _market.OfferInBandAsync(Band, count: 8);
        var provider = _market.Provider.Address;
        await using var proxy = TcpProxy.To(provider.Host, provider.Port);
        await using var a = await IsolatedBroker.StartAsync(_market, Database, null, ct,
            [.. slowRecovery, ("Broker:ProviderAddress", $"http://127.0.0.1:{proxy.Port}")]);
        await using var b = await IsolatedBroker.StartAsync(_market, Database, null, ct, slowRecovery);
        var tenant = Samples.UniqueId("tenant-dead-broker");
        var quote = await _market.QuoteOnAsyncWith(b.Client, BrokerSteps.Batch(tenant, accelerators: 2, hoursEach: 2, ceiling: Band), offer);
        var request = new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = $"dead-broker-{quote.Id}" };
        Say($"quote {quote.Id} on {offer.Id}");

        // A's accept hangs at the provider: the accept is pending, held by A's attempt.
        proxy.Stall();
        var hanging = a.Client.AcceptQuoteAsync(request, cancellationToken: ct).ResponseAsync;
        var accept = $"{Marketplace.Broker.Storage.BrokerKeys.Tag}:quote:{quote.Id}:accept";
        await Eventually.TrueAsync(async () => (string?)await a.Store.HashGetAsync(accept, "state") == "pending",
            "A's accept to be pending");
        var attemptOfA = (string?)await a.Store.HashGetAsync(accept, "attempt");
        Say($"A's attempt {attemptOfA} is pending");

        // While A lives, B's retry of the same key waits for A's outcome instead of taking the accept from it.
        var waited = await Assert.ThrowsAsync<RpcException>(() =>
            b.Client.AcceptQuoteAsync(request, deadline: DateTime.UtcNow.AddSeconds(3)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, waited.StatusCode);
        Assert.Equal(attemptOfA, (string?)await b.Store.HashGetAsync(accept, "attempt"));
        Assert.Equal("pending", (string?)await b.Store.HashGetAsync(accept, "state"));

        // A dies: B's retry undoes A's attempt once its replica's key lapses, and commits its own.
        await a.KillAsync();
        var killed = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(() => hanging);
        var lease = await b.Client.AcceptQuoteAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
        Say($"lease {lease.Id} through B {killed.Elapsed.TotalSeconds:0.0} s after A was killed");
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(30), $"the retry took {killed.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(tenant, lease.TenantId);
        Assert.Equal("committed", (string?)await b.Store.HashGetAsync(accept, "state"));
        Assert.NotEqual(attemptOfA, (string?)await b.Store.HashGetAsync(accept, "attempt"));
        Assert.Equal(lease, await b.StoredLeaseAsync(lease.Id));

        // The same key again is the same lease.
        Assert.Equal(lease.Id, (await b.Client.AcceptQuoteAsync(request, cancellationToken: ct)).Id);
        proxy.Pass();
    }

    void Say(string line) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {line}");
}
