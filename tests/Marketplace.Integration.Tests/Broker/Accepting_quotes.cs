using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Integration.Tests.Provider;
using Marketplace.Provider.V1;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Broker;

[Collection(MarketCollection.Name)]
public sealed class Accepting_quotes(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    [Fact]
    public async Task Fifty_tenants_racing_for_the_last_capacity_get_exactly_the_leases_that_fit()
    {
        const decimal band = 0.0021m;
        var offer = await _market.OfferInBandAsync(band, count: 16);
        var quotes = new List<Quote>();
        for (var tenant = 0; tenant < 50; tenant++)
            quotes.Add(await _market.QuoteOnAsync(BrokerSteps.Batch($"tenant-{tenant}", 8, 2, band), offer));

        var outcomes = await Task.WhenAll(quotes.Select(async quote =>
        {
            try
            {
                return (lease: await _market.BrokerClient.AcceptQuoteAsync(
                    new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = "accept-" + quote.Id }), status: StatusCode.OK);
            }
            catch (RpcException e)
            {
                return (lease: (Lease?)null, status: e.StatusCode);
            }
        }));

        Assert.Equal(2, outcomes.Count(o => o.lease is not null)); // 16 units, 8 each
        Assert.All(outcomes.Where(o => o.lease is null), o => Assert.Equal(StatusCode.FailedPrecondition, o.status));
        var slots = await _market.ProviderClient.SlotsAsync(offer);
        Assert.All(slots, s => Assert.True(s.Held + s.Leased <= s.Published));
        Assert.All(slots, s => Assert.Equal(0, s.Held)); // no hold left behind by the 48 that lost
        Assert.Equal(16, slots.Max(s => s.Leased));
    }

    [Fact]
    public async Task The_same_key_returns_the_same_lease_and_another_key_is_told_it_was_accepted()
    {
        const decimal band = 0.0022m;
        var offer = await _market.OfferInBandAsync(band, count: 16);
        var quote = await _market.QuoteOnAsync(BrokerSteps.Batch("tenant-same-key", 4, 3, band), offer);
        var accept = new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = Samples.UniqueId("key") };

        // Five at once with one key: one attempt works, the others wait for its outcome and share it.
        var leases = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ => await _market.BrokerClient.AcceptQuoteAsync(accept)));
        var lease = await _market.BrokerClient.AcceptQuoteAsync(accept);

        Assert.All(leases, l => Assert.Equal(lease.Id, l.Id));
        Assert.Equal(LeaseState.Scheduled, lease.State);
        Assert.Equal(4, Assert.Single(lease.Allocations).Units);
        Assert.Equal(QuoteState.Accepted, (await _market.BrokerClient.GetQuoteAsync(new GetQuoteRequest { QuoteId = quote.Id })).State);
        var other = await Assert.ThrowsAsync<RpcException>(() => _market.BrokerClient.AcceptQuoteAsync(
            new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = Samples.UniqueId("someone-else") }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, other.StatusCode);
        Assert.Equal(4, (await _market.ProviderClient.SlotsAsync(offer)).Max(s => s.Leased));
    }

    [Fact]
    public async Task Cancelling_before_the_start_gives_the_capacity_back()
    {
        const decimal band = 0.0023m;
        var offer = await _market.OfferInBandAsync(band, count: 16);
        var quote = await _market.QuoteOnAsync(BrokerSteps.Batch("tenant-cancel", 8, 2, band), offer);
        var lease = await _market.BrokerClient.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = Samples.UniqueId("k") });

        var cancelled = await _market.BrokerClient.CancelLeaseAsync(new CancelLeaseRequest { LeaseId = lease.Id, Reason = "plans changed" });

        Assert.Equal(LeaseState.Cancelled, cancelled.State);
        Assert.All(await _market.ProviderClient.SlotsAsync(offer), s => Assert.Equal(16, s.Free));
        var again = await Assert.ThrowsAsync<RpcException>(() =>
            _market.BrokerClient.CancelLeaseAsync(new CancelLeaseRequest { LeaseId = lease.Id }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
    }

    [Fact]
    public async Task A_tenant_lists_only_its_own_leases()
    {
        const decimal band = 0.0024m;
        var offer = await _market.OfferInBandAsync(band, count: 32);
        var mine = Samples.UniqueId("tenant-mine");
        var theirs = Samples.UniqueId("tenant-theirs");
        foreach (var tenant in new[] { mine, mine, theirs })
        {
            var quote = await _market.QuoteOnAsync(BrokerSteps.Batch(tenant, 4, 2, band), offer);
            await _market.BrokerClient.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = Samples.UniqueId("k") });
        }

        var listed = await _market.BrokerClient.ListLeasesAsync(new ListLeasesRequest { TenantId = mine });

        Assert.Equal(2, listed.Leases.Count);
        Assert.All(listed.Leases, l => Assert.Equal(mine, l.TenantId));
    }

    [Theory]
    [InlineData("no quote id", "", "k", StatusCode.NotFound)]
    [InlineData("no idempotency key", "any", "", StatusCode.InvalidArgument)]
    [InlineData("an unknown quote", "no-such-quote", "k", StatusCode.NotFound)]
    public async Task Bad_accepts_get_a_clear_status(string _, string quoteId, string key, StatusCode expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _market.BrokerClient.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quoteId, IdempotencyKey = key }).ResponseAsync);
        Assert.Equal(expected, error.StatusCode);
    }
}
