using Grpc.Core;
using Grpc.Core.Interceptors;
using Marketplace.ServiceDefaults.Errors;
using StackExchange.Redis;

namespace Marketplace.ServiceDefaults.Grpc;

// Maps the market's exceptions to gRPC statuses in one place, so gRPC classes stay adapters.
public sealed class ErrorInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request,
        ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (MarketException ex)
        {
            throw ToRpc(ex);
        }
        catch (Exception ex) when (IsInfrastructure(ex))
        {
            throw Unavailable(ex);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (MarketException ex)
        {
            throw ToRpc(ex);
        }
        catch (Exception ex) when (IsInfrastructure(ex))
        {
            throw Unavailable(ex);
        }
    }

    // Redis away or too slow: the caller may retry, so Unavailable, not Unknown.
    static bool IsInfrastructure(Exception ex) => ex is RedisConnectionException or RedisTimeoutException;

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
            trailers.Add("field", invalid.Field);
        foreach (var (key, value) in ex.Details)
            trailers.Add(key, value);
        return new RpcException(new Status(code, ex.Message), trailers);
    }
}
