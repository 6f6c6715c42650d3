using Grpc.Core;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Grpc;

// The gRPC status a call ends with, as a metric tag ("ok", "failed_precondition"), decided as the error
// interceptor decides it. Tags are made once per status, so counting an outcome allocates nothing.
public static class RpcOutcome
{
    static readonly KeyValuePair<string, object?>[] Tags = Enum.GetValues<StatusCode>()
        .Select(code => new KeyValuePair<string, object?>("outcome", SnakeCase(code))).ToArray();

    public static KeyValuePair<string, object?> Ok => Tag(StatusCode.OK);

    public static KeyValuePair<string, object?> Of(Exception ex) => Tag(ex switch
    {
        RpcException rpc => rpc.StatusCode,
        MarketException market => ErrorInterceptor.ToRpc(market).StatusCode,
        _ when TransientFaults.Are(ex) => StatusCode.Unavailable,
        ArgumentException or OverflowException or FormatException => StatusCode.InvalidArgument,
        OperationCanceledException => StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    });

    static KeyValuePair<string, object?> Tag(StatusCode code) => (int)code < Tags.Length ? Tags[(int)code] : Tags[(int)StatusCode.Unknown];

    static string SnakeCase(StatusCode code) => code == StatusCode.OK
        ? "ok"
        : string.Concat(code.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
