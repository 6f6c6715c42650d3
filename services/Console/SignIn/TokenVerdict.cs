namespace Marketplace.Console.SignIn;

// A pasted token accepted (Problem null) or refused for a reason the sign-in page explains.
public sealed record TokenVerdict(string Token, string Subject, string Role, DateTimeOffset ExpiresAt, string? Problem)
{
    public static TokenVerdict Refused(string problem) => new("", "", "", default, problem);
}
