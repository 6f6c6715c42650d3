using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.Cli.Connection;

namespace Marketplace.Cli.Commands.Operator;

// Replays the billing event log from a cursor until it goes quiet: the service sends its history back to
// back, so a pause of `settle` means we have caught up with the present.
public static class BillingFeed
{
    public static async Task<int> ReplayAsync(MarketConnection market, WatchBillingEventsRequest request, TimeSpan settle,
        Action<BillingEvent> onEvent, CancellationToken ct)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var call = market.Billing.WatchBillingEvents(request, MarketConnection.Follow(quiet.Token));
        quiet.CancelAfter(settle + TimeSpan.FromSeconds(1)); // the first event also waits for the connection
        var count = 0;
        try
        {
            while (await call.ResponseStream.MoveNext(quiet.Token))
            {
                onEvent(call.ResponseStream.Current);
                count++;
                quiet.CancelAfter(settle);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }
                                  && !ct.IsCancellationRequested)
        {
            // caught up
        }
        return count;
    }
}
