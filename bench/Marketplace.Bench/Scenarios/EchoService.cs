using Grpc.Core;
using Marketplace.Bench.V1;

namespace Marketplace.Bench.Scenarios;

// The baseline's whole server-side work: hand the text back.
public sealed class EchoService : Echo.EchoBase
{
    public override Task<EchoReply> Say(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = request.Text });
}
