using Grpc.Core;
using Grpc.Net.Client;

namespace Marketplace.Testing.Market;

// gRPC channels to a test market, optionally carrying a bearer token on every call.
public static class TestChannels
{
    // anyReplySize lifts gRPC's 4 MB receive limit, for callers that time large replies rather than the limit.
    public static GrpcChannel For(Uri address, string? token, bool anyReplySize = false)
    {
        var options = new GrpcChannelOptions();
        if (anyReplySize)
            options.MaxReceiveMessageSize = null;
        if (token is not null)
        {
            options.Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("Authorization", $"Bearer {token}");
                return Task.CompletedTask;
            }));
            options.UnsafeUseInsecureChannelCallCredentials = true;
        }
        return GrpcChannel.ForAddress(address, options);
    }
}
