using Grpc.Core;

namespace Marketplace.Cli;

// What marketctl exits with, one class of failure per code, so scripts can branch on it.
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;       // anything not below
    public const int Usage = 2;         // bad arguments, here or as the service saw them
    public const int NotFound = 3;
    public const int Denied = 4;        // no token, a bad one, or not allowed for this role
    public const int Refused = 5;       // the market's state forbids it now: precondition, exhausted, exists
    public const int Unavailable = 6;   // a service did not answer in time; worth retrying
    public const int Cancelled = 130;   // Ctrl-C, as shells report SIGINT

    // The one mapping from gRPC status to exit code.
    public static int For(StatusCode status) => status switch
    {
        StatusCode.OK => Ok,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => Usage,
        StatusCode.NotFound => NotFound,
        StatusCode.PermissionDenied or StatusCode.Unauthenticated => Denied,
        StatusCode.FailedPrecondition or StatusCode.ResourceExhausted or StatusCode.AlreadyExists
            or StatusCode.Aborted => Refused,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => Unavailable,
        StatusCode.Cancelled => Cancelled,
        _ => Failure,
    };
}
