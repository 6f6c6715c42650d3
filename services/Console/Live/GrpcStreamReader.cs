using Grpc.Core;

namespace Marketplace.Console.Live;

// A service's stream read for a page: MoveNext ends (false) when the stream ends, when the page goes away,
// or when the service fails it, and then Failure says why, for the page to be told.
sealed class GrpcStreamReader<T>(IAsyncStreamReader<T> stream, CancellationToken ct)
{
    public RpcException? Failure { get; private set; }

    public T Current => stream.Current;

    public async Task<bool> NextAsync()
    {
        try
        {
            return await stream.MoveNext(ct);
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            Failure = e;
            return false;
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is RpcException or OperationCanceledException)
        {
            return false; // the page went away
        }
    }
}
