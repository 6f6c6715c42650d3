using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Marketplace.Integration.Tests.Hostile;

// Every Timestamp and Duration of every request, just outside the range protobuf defines (or far
// outside it), answers INVALID_ARGUMENT naming the field's path, e.g. "window.start".
[Collection(MarketCollection.Name)]
public sealed class Times_out_of_range(MarketFixture fixture)
{
    // Timestamps run from 0001-01-01T00:00:00Z (-62135596800) to 9999-12-31T23:59:59Z (253402300799).
    static readonly (string Case, Timestamp Value)[] BadTimestamps =
    [
        ("seconds -62135596801", new Timestamp { Seconds = -62_135_596_801 }),
        ("seconds 253402300800", new Timestamp { Seconds = 253_402_300_800 }),
        ("seconds long.MaxValue", new Timestamp { Seconds = long.MaxValue }),
        ("nanos -1", new Timestamp { Nanos = -1 }),
        ("nanos 1000000000", new Timestamp { Nanos = 1_000_000_000 }),
    ];

    // Durations run +-315,576,000,000 s (10,000 years), nanos within +-999,999,999.
    static readonly (string Case, Duration Value)[] BadDurations =
    [
        ("seconds 315576000001", new Duration { Seconds = 315_576_000_001 }),
        ("seconds -315576000001", new Duration { Seconds = -315_576_000_001 }),
        ("seconds long.MaxValue", new Duration { Seconds = long.MaxValue }),
        ("nanos 1000000000", new Duration { Nanos = 1_000_000_000 }),
        ("nanos -1000000000", new Duration { Nanos = -1_000_000_000 }),
    ];

    [Fact]
    public async Task Answer_invalid_argument_naming_the_field_path()
    {
        var failures = new Failures();
        foreach (var rpc in EveryRpc.Of(fixture.Market))
        {
            var cases = FieldPath.In(rpc.Request, FieldPath.IsTimestamp).SelectMany(p => BadTimestamps.Select(b => (p, b.Case, (object)b.Value)))
                .Concat(FieldPath.In(rpc.Request, FieldPath.IsDuration).SelectMany(p => BadDurations.Select(b => (p, b.Case, (object)b.Value))));
            foreach (var (path, bad, value) in cases)
            {
                failures.Counted();
                var name = $"{path} {bad}";
                var outcome = await RawCall.SendAsync(rpc, path.RequestWith(rpc.Request, value));
                if (outcome.Status != StatusCode.InvalidArgument)
                    failures.Add(rpc.Name, name, outcome, "expected INVALID_ARGUMENT");
                else if (!path.IsNamedIn(outcome.Detail))
                    failures.Add(rpc.Name, name, outcome, $"the message does not name \"{path}\"");

                if (await RawCall.NormalCallAsync(rpc) is { Status: not StatusCode.OK } after)
                    failures.Add(rpc.Name, name + ", then a normal call on the same channel", after, "expected OK within 5 s");
            }
        }

        failures.AssertNone(atLeastCalls: 100);
    }
}
