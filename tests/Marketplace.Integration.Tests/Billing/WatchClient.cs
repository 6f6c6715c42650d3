using Grpc.Core;
using Marketplace.Billing.V1;

namespace Marketplace.Integration.Tests.Billing;

// A WatchBillingEvents call that can be dropped and resumed from the last cursor seen.
sealed class WatchClient(BillingService.BillingServiceClient billing, WatchBillingEventsRequest request) : IAsyncDisposable
{
    AsyncServerStreamingCall<BillingEvent>? _call;
    CancellationTokenSource _cts = new();

    public string Cursor { get; private set; } = request.FromCursor;

    public async Task<IReadOnlyList<BillingEvent>> TakeAsync(int count, TimeSpan? timeout = null)
    {
        var resumed = request.Clone();
        resumed.FromCursor = Cursor;
        _call ??= billing.WatchBillingEvents(resumed, cancellationToken: _cts.Token);
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var events = new List<BillingEvent>();
        while (events.Count < count && await _call.ResponseStream.MoveNext(deadline.Token))
        {
            events.Add(_call.ResponseStream.Current);
            Cursor = _call.ResponseStream.Current.Cursor;
        }
        return events;
    }

    // Cuts the connection as a network fault would; the next TakeAsync resumes from Cursor.
    public void Drop()
    {
        _cts.Cancel();
        _call?.Dispose();
        _call = null;
        _cts = new CancellationTokenSource();
    }

    public ValueTask DisposeAsync()
    {
        Drop();
        return ValueTask.CompletedTask;
    }
}
