using Marketplace.Provider.V1;

namespace Marketplace.Bench.Scenarios;

// Fills a provider over its own gRPC API, as providers would: sites first, then their offers, a few
// calls at a time so a 1,000-offer catalog takes seconds, not minutes.
public static class CatalogPublisher
{
    const int InFlight = 16;
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task PublishAsync(ProviderService.ProviderServiceClient provider,
        IReadOnlyList<DataCenter> sites, IReadOnlyList<Offer> offers, CancellationToken ct)
    {
        var limits = new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = ct };
        await Parallel.ForEachAsync(sites, limits, async (site, token) =>
            await provider.RegisterDataCenterAsync(new RegisterDataCenterRequest { Datacenter = site },
                deadline: DateTime.UtcNow + Deadline, cancellationToken: token));
        await Parallel.ForEachAsync(offers, limits, async (offer, token) =>
            await provider.PublishOfferAsync(new PublishOfferRequest { Offer = offer, IdempotencyKey = offer.Id },
                deadline: DateTime.UtcNow + Deadline, cancellationToken: token));
    }
}
