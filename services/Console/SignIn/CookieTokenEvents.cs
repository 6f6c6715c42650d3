using Marketplace.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.Console.SignIn;

// The bearer token comes from the console's HttpOnly cookie only (page scripts never see it).
// Without a valid one, an API or stream call gets 401 and a page is sent to the sign-in form; with the
// wrong role for it, an API call gets 403 and a page sends its reader to their own home page.
sealed class CookieTokenEvents : JwtBearerEvents
{
    public override Task MessageReceived(MessageReceivedContext context)
    {
        if (ConsoleCookie.Read(context.Request) is { } token)
            context.Token = token;
        else
            context.NoResult();
        return Task.CompletedTask;
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        if (IsApi(context.Request))
            return Task.CompletedTask;
        context.HandleResponse();
        var problem = context.AuthenticateFailure switch
        {
            null => "",
            SecurityTokenExpiredException => "problem=expired&",
            _ => "problem=invalid&",
        };
        context.Response.Redirect($"/signin?{problem}return={ReturnPath.Query(context.Request)}");
        return Task.CompletedTask;
    }

    public override Task Forbidden(ForbiddenContext context)
    {
        if (!IsApi(context.Request))
        {
            var role = Caller.From(context.HttpContext.User).Role;
            context.Response.Redirect(ConsoleArea.SignsIn.Contains(role) ? ConsoleArea.HomeOf(role) : "/signin?problem=role");
        }
        return Task.CompletedTask;
    }

    static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");
}
