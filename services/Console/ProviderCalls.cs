using Marketplace.Provider.V1;

namespace Marketplace.Console;

// The provider's site register, read as whoever is signed in (CallsAs): where each data center is, and
// which are down.
public sealed class ProviderCalls(ProviderService.ProviderServiceClient client, ConsoleOptions options)
{
    public async Task<IReadOnlyList<DataCenter>> SitesAsync(string token, CancellationToken ct) =>
        (await client.ListDataCentersAsync(new ListDataCentersRequest(), CallsAs.Unary(token, options, ct))).Datacenters;

    public async Task<IReadOnlyList<Outage>> OutagesAsync(string token, CancellationToken ct) =>
        (await client.ListOutagesAsync(new ListOutagesRequest(), CallsAs.Unary(token, options, ct))).Outages;
}
