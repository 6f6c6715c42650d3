using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Grpc;

// Checks every request against the limits all requests share (RequestGuard), then maps the market's
// exceptions to gRPC statuses in one place, so gRPC classes stay adapters.
public sealed class ErrorInterceptor : Interceptor
{
    const int MaxMessage = 800; // a status message travels in a header: keep it far below HTTP/2's limit

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request,
        ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            if (request is IMessage message)
                RequestGuard.Check(message);
            return await continuation(request, context);
        }
        catch (MarketException ex)
        {
            throw ToRpc(ex);
        }
        catch (Exception ex) when (TransientFaults.Are(ex))
        {
            throw Unavailable(ex);
        }
        catch (Exception ex) when (ex is ArgumentException or OverflowException or FormatException)
        {
            throw OutOfRange(ex);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            if (request is IMessage message)
                RequestGuard.Check(message);
            await continuation(request, responseStream, context);
        }
        catch (MarketException ex)
        {
            throw ToRpc(ex);
        }
        catch (Exception ex) when (TransientFaults.Are(ex))
        {
            throw Unavailable(ex);
        }
        catch (Exception ex) when (ex is ArgumentException or OverflowException or FormatException)
        {
            throw OutOfRange(ex);
        }
    }

    // A value the domain cannot represent that no rule caught first: still the caller's input.
    static RpcException OutOfRange(Exception ex) =>
        new(new Status(StatusCode.InvalidArgument, $"request: a value is out of range ({Brief.Of(ex.Message, 160)})"));

    // Redis away, too slow or loading: the caller may retry, so Unavailable, not Unknown.
    static RpcException Unavailable(Exception ex) =>
        new(new Status(StatusCode.Unavailable, $"a store the market depends on did not answer ({ex.GetType().Name}); retry"));

    public static RpcException ToRpc(MarketException ex)
    {
        var code = ex switch
        {
            InvalidFieldException => StatusCode.InvalidArgument,
            NotFoundException => StatusCode.NotFound,
            PreconditionException => StatusCode.FailedPrecondition,
            ExhaustedException => StatusCode.ResourceExhausted,
            ForbiddenException => StatusCode.PermissionDenied,
            ConflictException => StatusCode.AlreadyExists,
            UnavailableException => StatusCode.Unavailable,
            _ => StatusCode.Unknown,
        };
        var trailers = new Metadata();
        if (ex is InvalidFieldException invalid)
            trailers.Add("field", Brief.Of(invalid.Field, 200));
        foreach (var (key, value) in ex.Details)
            trailers.Add(key, Brief.Of(value, 200));
        return new RpcException(new Status(code, Brief.Of(ex.Message, MaxMessage)), trailers);
    }
}
