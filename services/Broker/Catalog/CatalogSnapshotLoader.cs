using Grpc.Core;
using Marketplace.Provider.V1;

namespace Marketplace.Broker.Catalog;

// At start-up, fills the catalog from the provider's snapshot so quotes are right at once, even for
// offers published while the broker was down. Retries until the provider answers.
public sealed class CatalogSnapshotLoader(ProviderService.ProviderServiceClient provider, OfferCatalog catalog,
    BrokerOptions options, ILogger<CatalogSnapshotLoader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var snapshot = await provider.GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest(),
                    deadline: DateTime.UtcNow + options.SnapshotDeadline, cancellationToken: stoppingToken);
                var applied = snapshot.Offers.Count(catalog.Apply);
                catalog.MarkLoaded();
                logger.LogInformation("Catalog snapshot loaded: {Offers} offers, {Applied} newer than what events brought",
                    snapshot.Offers.Count, applied);
                return;
            }
            catch (RpcException ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Provider snapshot unavailable ({Status}); retrying in {Delay}", ex.StatusCode, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }
}
