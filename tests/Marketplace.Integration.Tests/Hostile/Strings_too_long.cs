using Grpc.Core;

namespace Marketplace.Integration.Tests.Hostile;

// Every string field of every request (nested ones too), 100,000 characters long, answers
// INVALID_ARGUMENT whose message starts with the field's path: short, never an echo of the input.
// The length check runs before anything else, so no other field needs a plausible value.
[Collection(MarketCollection.Name)]
public sealed class Strings_too_long(MarketFixture fixture)
{
    const char Filler = 'x';
    static readonly string Huge = new(Filler, 100_000);
    static readonly string Echo = new(Filler, 65); // more of the input than a message may repeat

    [Fact]
    public async Task Answer_invalid_argument_starting_with_the_field_path()
    {
        var failures = new Failures();
        foreach (var rpc in EveryRpc.Of(fixture.Market))
        foreach (var path in FieldPath.In(rpc.Request, FieldPath.IsString))
        {
            failures.Counted();
            var name = $"{path} of 100,000 characters";
            var outcome = await RawCall.SendAsync(rpc, path.RequestWith(rpc.Request, Huge));
            if (outcome.Status != StatusCode.InvalidArgument)
                failures.Add(rpc.Name, name, outcome, "expected INVALID_ARGUMENT");
            else if (!path.StartsMessage(outcome.Detail))
                failures.Add(rpc.Name, name, outcome, $"the message does not start with \"{path}\"");
            else if (!path.IsTrailer(outcome.Field))
                failures.Add(rpc.Name, name, outcome, $"the field trailer is not \"{path}\"");
            if (outcome.Detail.Length >= 1000)
                failures.Add(rpc.Name, name, outcome, "the message is 1,000 characters or more");
            if (outcome.Detail.Contains(Echo, StringComparison.Ordinal) || outcome.Field?.Contains(Echo, StringComparison.Ordinal) == true)
                failures.Add(rpc.Name, name, outcome, "the answer echoes more than 64 characters of the input");

            if (await RawCall.NormalCallAsync(rpc) is { Status: not StatusCode.OK } after)
                failures.Add(rpc.Name, name + ", then a normal call on the same channel", after, "expected OK within 5 s");
        }

        failures.AssertNone(atLeastCalls: 75);
    }
}
