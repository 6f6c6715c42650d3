using Marketplace.Billing.V1;
using Marketplace.Console.Live;
using Marketplace.Console.SignIn;
using Marketplace.Reference;
using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Console.Tenant;

// The tenant's page: the market to choose from, a quote, accepting an option, the leases, the bill and its
// live postings. Every call goes as the signed-in tenant, for the tenant named in its token (ConsoleArea
// keeps these paths tenant-only; the services check the tenant's own again).
public static class TenantEndpoints
{
    public static WebApplication MapTenantPage(this WebApplication app)
    {
        var tenant = app.MapGroup("/api/tenant").AddEndpointFilter<ServiceProblems>();

        // What the form offers and where the map puts things: regions, models, and every data center.
        tenant.MapGet("/market", async (HttpContext http, MarketReference reference, ProviderCalls provider) => new
        {
            Regions = reference.Regions.Values.OrderBy(r => r.Name)
                .Select(r => new RegionView(r.Id, r.Name, r.NameZh, r.HubId, r.Latitude, r.Longitude)),
            Models = reference.Accelerators.Values.OrderBy(a => a.Model)
                .Select(a => new ModelView(a.Model, a.DisplayName, a.Vendor, a.Origin == AcceleratorOrigin.Domestic)),
            Sites = (await provider.SitesAsync(Token(http), http.RequestAborted)).Select(SiteView.From),
        });

        tenant.MapPost("/quotes", async (HttpContext http, BrokerCalls broker, MarketReference reference, ConsoleOptions options,
            TimeProvider clock) =>
        {
            var form = await JsonForm.ReadAsync<QuoteForm>(http.Request, http.RequestAborted);
            var request = form.ToRequest(TenantId(http), clock.GetUtcNow(), reference, options.Currency);
            return QuoteView.From(await broker.QuoteAsync(request, Token(http), http.RequestAborted));
        });

        tenant.MapPost("/quotes/{quoteId}/accept", async (HttpContext http, BrokerCalls broker, string quoteId) =>
            quoteId.Length is > 0 and <= 128
                ? LeaseView.From(await broker.AcceptAsync(quoteId, Token(http), http.RequestAborted))
                : throw new BadFieldException("quoteId", "must be the id of a quote's option"));

        tenant.MapGet("/leases", async (HttpContext http, BrokerCalls broker) =>
            (await broker.LeasesAsync(TenantId(http), Token(http), http.RequestAborted))
                .OrderByDescending(l => l.CreatedAt?.ToDateTimeOffset()).Select(LeaseView.From));

        tenant.MapGet("/bill", async (HttpContext http, BillingCalls billing) =>
            (await billing.OpenInvoicesAsync(TenantId(http), Token(http), http.RequestAborted)).Select(InvoiceView.From));

        // The tenant's own billing events live (billing scopes the stream to the token's tenant anyway),
        // resumed as the operator's feed is.
        tenant.MapGet("/events", (HttpContext http, BillingEventBridge bridge, string? from) =>
        {
            var request = new WatchBillingEventsRequest { FromCursor = ResumeCursor.Of(http.Request, from), TenantId = TenantId(http) };
            return TypedResults.ServerSentEvents(bridge.StreamAsync(request, Token(http), http.RequestAborted));
        });
        return app;
    }

    static string Token(HttpContext http) => ConsoleCookie.Read(http.Request)!; // present: the fallback policy let us in

    static string TenantId(HttpContext http) => Caller.From(http.User).Subject;
}
