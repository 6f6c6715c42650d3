using Marketplace.Provider.V1;

namespace Marketplace.Console;

// The provider's site register, read as the signed-in tenant (CallsAs): where each data center is.
public sealed class ProviderCalls(ProviderService.ProviderServiceClient client, ConsoleOptions options)
{
    public async Task<IReadOnlyList<DataCenter>> SitesAsync(string token, CancellationToken ct) =>
        (await client.ListDataCentersAsync(new ListDataCentersRequest(), CallsAs.Unary(token, options, ct))).Datacenters;
}
