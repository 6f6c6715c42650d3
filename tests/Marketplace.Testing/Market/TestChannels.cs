using Grpc.Core;
using Grpc.Net.Client;

namespace Marketplace.Testing.Market;

// gRPC channels to a test market, optionally carrying a bearer token on every call.
public static class TestChannels
{
    public static GrpcChannel For(Uri address, string? token) => token is null
        ? GrpcChannel.ForAddress(address)
        : GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("Authorization", $"Bearer {token}");
                return Task.CompletedTask;
            })),
            UnsafeUseInsecureChannelCallCredentials = true,
        });
}
