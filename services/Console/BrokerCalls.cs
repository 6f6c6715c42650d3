using Marketplace.Broker.V1;

namespace Marketplace.Console;

// The broker's quotes and leases, as the signed-in tenant (CallsAs); the market's lease moves, as the operator.
public sealed class BrokerCalls(BrokerService.BrokerServiceClient client, ConsoleOptions options)
{
    public async Task<QuoteResponse> QuoteAsync(QuoteRequest request, string token, CancellationToken ct) =>
        await client.RequestQuoteAsync(request, CallsAs.Unary(token, options, ct));

    // Keyed on the quote: accepting the same option again returns the same lease.
    public async Task<Lease> AcceptAsync(string quoteId, string token, CancellationToken ct) =>
        await client.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quoteId, IdempotencyKey = $"console:{quoteId}" },
            CallsAs.Unary(token, options, ct));

    public async Task<IReadOnlyList<Lease>> LeasesAsync(string tenantId, string token, CancellationToken ct) =>
        (await client.ListLeasesAsync(new ListLeasesRequest { TenantId = tenantId, PageSize = 50 }, CallsAs.Unary(token, options, ct))).Leases;

    public async Task<IReadOnlyList<LeaseMoveRecord>> MovesAsync(string token, CancellationToken ct) =>
        (await client.ListLeaseMovesAsync(new ListLeaseMovesRequest { PageSize = 20 }, CallsAs.Unary(token, options, ct))).Moves;
}
