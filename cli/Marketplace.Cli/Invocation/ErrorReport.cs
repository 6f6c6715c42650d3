using Grpc.Core;

namespace Marketplace.Cli.Invocation;

// Says on stderr what went wrong, and returns the exit code for it (see ExitCodes).
public static class ErrorReport
{
    public static int Write(Exception failure, TextWriter error, Func<string, string?> optionForField)
    {
        switch (failure)
        {
            case RpcException rpc:
                error.WriteLine($"error: {Words(rpc.StatusCode)}: {rpc.Status.Detail}");
                if (rpc.Trailers.GetValue("field") is { Length: > 0 } field)
                    error.WriteLine(optionForField(field) is { } option
                        ? $"  field: {field} (set with {option})"
                        : $"  field: {field}");
                if (rpc.Trailers.GetValue("fresh-quote-id") is { Length: > 0 } fresh)
                    error.WriteLine($"  a fresh quote is ready: marketctl accept {fresh}");
                if (rpc.StatusCode == StatusCode.Unauthenticated)
                    error.WriteLine("  set MARKET_TOKEN or run 'marketctl profile set --token ...' " +
                                    "('marketctl dev token' mints one for development)");
                if (rpc.StatusCode == StatusCode.Unavailable)
                    error.WriteLine("  is the service running? addresses come from MARKET_PROVIDER, MARKET_BROKER, " +
                                    "MARKET_BILLING or the profile");
                return ExitCodes.For(rpc.StatusCode);
            case UsageException usage:
                error.WriteLine($"error: {usage.Message}");
                return ExitCodes.Usage;
            case OperationCanceledException:
                error.WriteLine("cancelled");
                return ExitCodes.Cancelled;
            default:
                error.WriteLine($"error: {failure.Message}");
                return ExitCodes.Failure;
        }
    }

    // InvalidArgument -> "invalid argument"
    static string Words(StatusCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + c : c.ToString())).ToLowerInvariant();
}
