using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Integration.Tests.Provider;

namespace Marketplace.Integration.Tests.Hostile;

// Numbers a request may carry but the market's arithmetic cannot (hours x prices, slots x units):
// INVALID_ARGUMENT naming the field, never an overflow surfacing as UNKNOWN or INTERNAL. Every other
// field is valid, so the number is the only thing wrong.
[Collection(MarketCollection.Name)]
public sealed class Numbers_that_overflow(MarketFixture fixture)
{
    sealed record Case(string Rpc, string Field, string Value, Func<CallOptions, Task> Call);

    const decimal Ceiling = 0.0097m; // above every other test's price band: no other quote lands on this offer

    static QuoteRequest Quote(Action<QuoteRequest>? change = null)
    {
        var request = BrokerSteps.Batch(Samples.UniqueId("hostile-tenant"), accelerators: 4, hoursEach: 2, ceiling: Ceiling);
        change?.Invoke(request);
        return request;
    }

    async Task<IEnumerable<Case>> CasesAsync()
    {
        var market = fixture.Market;
        var (broker, provider) = (market.BrokerClient, market.ProviderClient);
        // The broker must know an offer that fits, so that "nothing matches" is no excuse for what follows.
        var offer = await market.OfferInBandAsync(Ceiling, count: 8);
        await market.QuoteOnAsync(Quote(), offer);
        return
        [
            new("RequestQuote", "accelerator_hours.hours", "10,000,000,000",
                o => broker.RequestQuoteAsync(Quote(q => q.AcceleratorHours.Hours = 10_000_000_000), o).ResponseAsync),
            new("RequestQuote", "accelerator_hours.hours", "long.MaxValue",
                o => broker.RequestQuoteAsync(Quote(q => q.AcceleratorHours.Hours = long.MaxValue), o).ResponseAsync),
            new("RequestQuote", "accelerators", "int.MaxValue",
                o => broker.RequestQuoteAsync(Quote(q => q.Accelerators = int.MaxValue), o).ResponseAsync),
            new("RequestQuote", "compute_hours.fp16_pflops_hours", "+infinity",
                o => broker.RequestQuoteAsync(Quote(q => q.ComputeHours = new ComputeHours { Fp16PflopsHours = double.PositiveInfinity }), o).ResponseAsync),
            new("RequestQuote", "data.size_gb", "long.MaxValue",
                o => broker.RequestQuoteAsync(Quote(q => q.Data = new DataLocation { RegionId = "shanghai", SizeGb = long.MaxValue }), o).ResponseAsync),
            new("HoldCapacity", "units", "int.MaxValue",
                o => provider.HoldCapacityAsync(ProviderSteps.Hold(offer, units: int.MaxValue, fromHour: 0, hours: 1), o).ResponseAsync),
        ];
    }

    [Fact]
    public async Task Answer_invalid_argument_naming_the_field()
    {
        var failures = new Failures();
        foreach (var @case in await CasesAsync())
        {
            failures.Counted();
            var name = $"{@case.Field} = {@case.Value}";
            var outcome = await StatusOf(@case.Call);
            if (outcome.Status != StatusCode.InvalidArgument)
                failures.Add(@case.Rpc, name, outcome, "expected INVALID_ARGUMENT");
            else if (!FieldPath.Mentions(outcome.Detail, @case.Field))
                failures.Add(@case.Rpc, name, outcome, $"the message does not name \"{@case.Field}\"");
        }

        failures.AssertNone(atLeastCalls: 6);
    }

    static async Task<Outcome> StatusOf(Func<CallOptions, Task> call)
    {
        try
        {
            await call(new CallOptions(deadline: DateTime.UtcNow.AddSeconds(5)));
            return Outcome.Ok;
        }
        catch (RpcException e)
        {
            return Outcome.Of(e);
        }
    }
}
