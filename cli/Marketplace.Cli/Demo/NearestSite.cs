using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Demo;

// What the job would have cost close to home: the cheapest option wholly in the tenant's own region,
// else in its own hub. Taken from the reply when it lists one, else from a second quote restricted to
// the home hub's regions (the broker lists only its top options).
public static class NearestSite
{
    public static async Task<Quote?> FindAsync(JobRun run, CatalogSnapshot catalog, CancellationToken ct)
    {
        bool AllIn(Quote q, Func<Placement, bool> home) => q.Placements.All(home);
        if (run.Reply.Options.FirstOrDefault(q => AllIn(q, p => p.RegionId == run.Job.HomeRegion)) is { } inRegion)
            return inRegion;
        if (run.Reply.Options.FirstOrDefault(q => AllIn(q, p => p.HubId == run.Job.HomeHub)) is { } inHub)
            return inHub;

        var request = run.Request.Clone();
        request.AllowedRegionIds.Clear();
        request.AllowedRegionIds.AddRange(catalog.Offers.Select(o => o.Datacenter)
            .Where(d => d.HubId == run.Job.HomeHub || d.RegionId == run.Job.HomeRegion)
            .Select(d => d.RegionId).Append(run.Job.HomeRegion).Distinct());
        try
        {
            var reply = await run.Tenant.Broker.RequestQuoteAsync(request, run.Tenant.Call(ct));
            return reply.Options.FirstOrDefault();
        }
        catch (RpcException none) when (none.StatusCode == StatusCode.ResourceExhausted)
        {
            return null; // nothing at home could take it
        }
    }
}
