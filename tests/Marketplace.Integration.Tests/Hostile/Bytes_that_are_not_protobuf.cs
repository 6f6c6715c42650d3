using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Marketplace.Integration.Tests.Hostile;

// Every RPC, sent bytes that no protobuf parser accepts, answers INVALID_ARGUMENT naming "request",
// and its channel still answers the next call.
[Collection(MarketCollection.Name)]
public sealed class Bytes_that_are_not_protobuf(MarketFixture fixture)
{
    static IEnumerable<(string Case, byte[] Bytes)> Payloads(MessageDescriptor request)
    {
        yield return ("a tag of wire type 7", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        yield return ("field 1 says 100 bytes, 2 follow", [0x0A, 0x64, 0x61, 0x62]);
        yield return ("a varint of 11 bytes", [0x08, .. Enumerable.Repeat((byte)0xFF, 10), 0x01]);
        yield return ("a group that never ends", [0x0B]);
        // Not UTF-8, where the request has a string: a parser that checks UTF-8 throws something of its own.
        if (request.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.String && !f.IsRepeated) is { } text)
            yield return ($"{text.Name} is not UTF-8", [(byte)(text.FieldNumber << 3 | 2), 0x02, 0xC3, 0x28]);
    }

    // Only bytes the generated parser itself refuses are "not protobuf" for that request.
    static bool ParserRefuses(MessageDescriptor request, byte[] bytes)
    {
        try
        {
            request.Parser.ParseFrom(bytes);
            return false;
        }
        catch (Exception)
        {
            return true;
        }
    }

    [Fact]
    public async Task Answer_invalid_argument_naming_the_request()
    {
        var failures = new Failures();
        foreach (var rpc in EveryRpc.Of(fixture.Market))
        foreach (var (name, bytes) in Payloads(rpc.Request).Where(p => ParserRefuses(rpc.Request, p.Bytes)))
        {
            failures.Counted();
            var outcome = await RawCall.SendAsync(rpc, bytes);
            if (outcome.Status != StatusCode.InvalidArgument)
                failures.Add(rpc.Name, name, outcome, "expected INVALID_ARGUMENT");
            else if (!outcome.Detail.Contains("request", StringComparison.Ordinal))
                failures.Add(rpc.Name, name, outcome, "the message does not name \"request\"");
            else if (outcome.Detail.Length >= 1000)
                failures.Add(rpc.Name, name, outcome, "the message is 1,000 characters or more");

            if (await RawCall.NormalCallAsync(rpc) is { Status: not StatusCode.OK } after)
                failures.Add(rpc.Name, name + ", then a normal call on the same channel", after, "expected OK within 5 s");
        }

        failures.AssertNone(atLeastCalls: 4 * 34);
    }
}
