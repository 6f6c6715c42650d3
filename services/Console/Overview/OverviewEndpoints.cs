using Marketplace.Console.SignIn;
using Marketplace.Reference;

namespace Marketplace.Console.Overview;

public static class OverviewEndpoints
{
    public static WebApplication MapOverview(this WebApplication app)
    {
        // The eight hubs, so a page charts every hub (an idle one too) under its real name.
        app.MapGet("/api/hubs", (MarketReference reference) =>
            reference.Hubs.Values
                .OrderBy(h => h.Side).ThenBy(h => h.Name)
                .Select(h => new HubView(h.Id, h.Name, h.NameZh, h.Side.ToString().ToLowerInvariant())));

        // Voucher spend comes from billing's own programs (budget and spent as the ledger has them),
        // not from summing events, so it is right whatever the page has or has not seen.
        app.MapGet("/api/vouchers", async (HttpContext http, BillingCalls billing) =>
            (await billing.VoucherProgramsAsync(ConsoleCookie.Read(http.Request)!, http.RequestAborted))
                .Select(VoucherProgramView.From).OrderByDescending(p => p.SpentFen))
            .AddEndpointFilter<ServiceProblems>();

        // Sites and offers down, newest first: the open ones and those ended in the last day.
        app.MapGet("/api/outages", async (HttpContext http, ProviderCalls provider, TimeProvider clock) =>
            (await provider.OutagesAsync(ConsoleCookie.Read(http.Request)!, http.RequestAborted))
                .Where(o => o.EndedAt is null || o.EndedAt.ToDateTimeOffset() > clock.GetUtcNow().AddDays(-1))
                .Select(OutageView.From))
            .AddEndpointFilter<ServiceProblems>();

        // Every site's reliability, least reliable first; sites with nothing leased yet last.
        app.MapGet("/api/reliability", async (HttpContext http, ProviderCalls provider) =>
            (await provider.SitesAsync(ConsoleCookie.Read(http.Request)!, http.RequestAborted))
                .Select(SiteReliabilityView.From)
                .OrderBy(s => s.Reliability ?? 2).ThenBy(s => s.Datacenter, StringComparer.Ordinal))
            .AddEndpointFilter<ServiceProblems>();

        // The leases outages and higher bids moved (or cut short), newest first.
        app.MapGet("/api/moves", async (HttpContext http, BrokerCalls broker) =>
            (await broker.MovesAsync(ConsoleCookie.Read(http.Request)!, http.RequestAborted)).Select(MoveView.From))
            .AddEndpointFilter<ServiceProblems>();
        return app;
    }
}
