using Grpc.Core;
using Marketplace.Billing.V1;

namespace Marketplace.Console;

// Billing's client, every call carrying the signed-in operator's own token: billing, not the console,
// decides what that operator may see. Unary calls get a deadline; the live watch lives as long as its page.
public sealed class BillingCalls(BillingService.BillingServiceClient client, ConsoleOptions options)
{
    public AsyncServerStreamingCall<BillingEvent> Watch(WatchBillingEventsRequest request, string token, CancellationToken ct) =>
        client.WatchBillingEvents(request, As(token, deadline: null, ct));

    public async Task<IReadOnlyList<VoucherProgram>> VoucherProgramsAsync(string token, CancellationToken ct) =>
        (await client.ListVoucherProgramsAsync(new ListVoucherProgramsRequest(),
            As(token, DateTime.UtcNow + options.CallDeadline, ct))).Programs;

    static CallOptions As(string token, DateTime? deadline, CancellationToken ct) => new(
        deadline: deadline,
        cancellationToken: ct,
        credentials: CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        }));
}
