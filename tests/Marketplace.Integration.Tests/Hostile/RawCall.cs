using Grpc.Core;

namespace Marketplace.Integration.Tests.Hostile;

// Sends bytes as they are to an RPC under its real name: no client-side serializer stands between
// the test and the service, so the bytes can be anything at all.
static class RawCall
{
    static readonly Marshaller<byte[]> AsIs = Marshallers.Create(b => b, b => b);

    // A refusal is immediate; a stream that was not refused may just have nothing to say yet, so it gets less time.
    static readonly TimeSpan UnaryDeadline = TimeSpan.FromSeconds(5), FirstStreamedDeadline = TimeSpan.FromSeconds(2);

    public static async Task<Outcome> SendAsync(Rpc rpc, byte[] body)
    {
        var options = new CallOptions(deadline: DateTime.UtcNow + (rpc.Method.IsServerStreaming ? FirstStreamedDeadline : UnaryDeadline));
        var invoker = rpc.Channel.CreateCallInvoker();
        var serviceName = rpc.Method.Service.FullName;
        try
        {
            if (rpc.Method.IsServerStreaming)
            {
                var method = new Method<byte[], byte[]>(MethodType.ServerStreaming, serviceName, rpc.Method.Name, AsIs, AsIs);
                using var call = invoker.AsyncServerStreamingCall(method, null, options, body);
                // The first response (or the status, if the service refused) is the answer.
                await call.ResponseStream.MoveNext(CancellationToken.None);
                return Outcome.Ok;
            }
            else
            {
                var method = new Method<byte[], byte[]>(MethodType.Unary, serviceName, rpc.Method.Name, AsIs, AsIs);
                await invoker.AsyncUnaryCall(method, null, options, body);
                return Outcome.Ok;
            }
        }
        catch (RpcException e)
        {
            return Outcome.Of(e);
        }
    }

    // The connection is not wedged: an ordinary call on the same channel still answers OK in time.
    public static async Task<Outcome> NormalCallAsync(Rpc rpc)
    {
        try
        {
            await rpc.NormalCall(new CallOptions(deadline: DateTime.UtcNow.AddSeconds(5)));
            return Outcome.Ok;
        }
        catch (RpcException e)
        {
            return Outcome.Of(e);
        }
    }
}
