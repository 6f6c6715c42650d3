using Google.Protobuf.WellKnownTypes;

namespace Marketplace.Console;

// Times as the pages get them: Unix milliseconds, what JavaScript's Date takes; 0 for a time not set.
static class UnixMs
{
    public static long Of(Timestamp? t) => t?.ToDateTimeOffset().ToUnixTimeMilliseconds() ?? 0;
}
