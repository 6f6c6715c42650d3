using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;

namespace Marketplace.ServiceDefaults.Auth;

// A gRPC call refused at sign-in answers a gRPC status (a trailers-only response), not a bare HTTP
// 401/403: clients other than .NET's report "Received HTTP status code 401" for the latter. HTTP/JSON
// callers keep their 401 and 403.
static class GrpcSignInStatus
{
    const string Unauthenticated = "16", PermissionDenied = "7";

    public static JwtBearerEvents Events() => new()
    {
        OnChallenge = context =>
        {
            if (!IsGrpc(context.Request))
                return Task.CompletedTask;
            context.HandleResponse();
            var why = context.AuthenticateFailure is null ? "no bearer token" : "the bearer token is not valid (expired, or not signed by this market)";
            Answer(context.Response, Unauthenticated,
                $"{why}: send 'authorization: Bearer <token>', a JWT with a role and a subject signed with the market's key " +
                "(deploy/local/market.sh run prints tokens to try)");
            return Task.CompletedTask;
        },
        OnForbidden = context =>
        {
            if (IsGrpc(context.Request))
                Answer(context.Response, PermissionDenied, "the token's role is not one of tenant, provider, operator or service");
            return Task.CompletedTask;
        },
    };

    static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    static void Answer(HttpResponse response, string status, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status;
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }
}
