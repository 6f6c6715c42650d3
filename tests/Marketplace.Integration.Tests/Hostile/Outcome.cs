using Grpc.Core;

namespace Marketplace.Integration.Tests.Hostile;

// What one call answered: its status, its message and the `field` trailer, if any.
sealed record Outcome(StatusCode Status, string Detail, string? Field, bool Answered = true)
{
    // A status the client made up (it could not read the service's answer) carries the client's exception.
    public static Outcome Of(RpcException e) =>
        new(e.StatusCode, e.Status.Detail ?? "", e.Trailers.GetValue("field"),
            Answered: e.Status.DebugException is null && e.StatusCode != StatusCode.DeadlineExceeded);

    public static readonly Outcome Ok = new(StatusCode.OK, "", null);

    // UNKNOWN, INTERNAL or no answer at all: the service did not know what went wrong.
    public bool IsUnexplained => !Answered || Status is StatusCode.Unknown or StatusCode.Internal;

    public override string ToString() =>
        $"{Status}{(Answered ? "" : " (no answer from the service)")} \"{(Detail.Length > 120 ? Detail[..120] + "..." : Detail)}\"" +
        $" (detail {Detail.Length} chars, field trailer {Field ?? "none"})";
}
