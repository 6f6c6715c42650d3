using Grpc.Core;
using Marketplace.Bench.V1;

namespace Marketplace.Bench.Scenarios;

// The baseline's whole server-side work: hand the text back, padded when asked for a reply of a given size.
public sealed class EchoService : Echo.EchoBase
{
    public override Task<EchoReply> Say(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = request.ReplyBytes > request.Text.Length ? request.Text.PadRight(request.ReplyBytes, '.') : request.Text });
}
