using Grpc.Core;
using Grpc.Net.Client;

namespace Marketplace.Testing.Market;

// A channel for hundreds of concurrent streaming calls: a server takes 100 streams per HTTP/2 connection,
// so this one opens more connections instead of queueing calls behind the first hundred.
public static class ManyStreamsChannel
{
    public static GrpcChannel For(Uri address, string token) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        })),
        UnsafeUseInsecureChannelCallCredentials = true,
    });
}
