using Grpc.Core;

namespace Marketplace.Console;

// One translation for every API endpoint: bad input of ours, or a service's refusal, as an HTTP problem.
// A service's INVALID_ARGUMENT names its field (the `field` trailer) and stays a 400 the page can show;
// a refusal keeps its meaning (403, 404, 409, 429); anything else is the service's fault, 502.
sealed class ServiceProblems : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var ct = context.HttpContext.RequestAborted;
        try
        {
            return await next(context);
        }
        catch (BadFieldException e)
        {
            return Field(e.Field, e.Problem);
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            return e.StatusCode switch
            {
                StatusCode.InvalidArgument => Field(e.Trailers.GetValue("field") ?? "request", e.Status.Detail),
                StatusCode.Unauthenticated => Problem(e, StatusCodes.Status401Unauthorized),
                StatusCode.PermissionDenied => Problem(e, StatusCodes.Status403Forbidden),
                StatusCode.NotFound => Problem(e, StatusCodes.Status404NotFound),
                StatusCode.FailedPrecondition or StatusCode.AlreadyExists => Problem(e, StatusCodes.Status409Conflict),
                StatusCode.ResourceExhausted => Problem(e, StatusCodes.Status429TooManyRequests),
                _ => Problem(e, StatusCodes.Status502BadGateway),
            };
        }
    }

    static IResult Field(string field, string problem) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [problem] }, detail: $"{field}: {problem}");

    static IResult Problem(RpcException e, int status) =>
        Results.Problem($"{e.StatusCode}: {e.Status.Detail}", statusCode: status);
}
