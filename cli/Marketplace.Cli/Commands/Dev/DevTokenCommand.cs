using System.CommandLine;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Parsing;
using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Cli.Commands.Dev;

// marketctl dev token: a development token signed with MARKET_SIGNING_KEY, the key the services trust
// (Auth:SigningKey). Anyone holding the key can be anyone: keep it to development markets.
public sealed class DevTokenCommand : MarketCommand
{
    readonly Option<string> _role = new Option<string>("--role") { Description = "who the bearer is", Required = true }
        .AcceptOnlyFromAmong(MarketRoles.All);
    readonly Option<string> _subject = new("--subject") { Description = "their id: tenant, provider, operator or service name", Required = true };
    readonly DurationOption _lifetime = new("--lifetime", "how long it is valid", TimeSpan.FromHours(8));
    readonly Option<bool> _save = new("--save") { Description = "also keep it in the profile" };

    public DevTokenCommand(CliHost host) : base(host, "token", "Mint a development token from MARKET_SIGNING_KEY")
    {
        Add(_role);
        Add(_subject);
        Add(_lifetime);
        Add(_save);
    }

    protected override Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var role = parse.GetValue(_role)!;
        var subject = parse.GetValue(_subject)!;
        var lifetime = _lifetime.ValueIn(parse);
        if (lifetime <= TimeSpan.Zero)
            throw new UsageException("--lifetime must be positive");
        var token = Issuer(context.Terminal).Issue(role, subject, lifetime);
        if (parse.GetValue(_save))
        {
            var profile = context.Profile;
            profile.Token = token;
            context.Profiles.Save(profile);
            context.Progress.Report($"saved in {context.Profiles.Path}");
        }
        if (context.Json)
            context.Out.WriteLine(Output.JsonOutput.Of(new { token, role, subject, expiresAt = DateTimeOffset.UtcNow + lifetime }));
        else
            context.Out.WriteLine(token);
        return Task.FromResult(ExitCodes.Ok);
    }

    // The issuer the demo uses too: MARKET_SIGNING_KEY, base64, at least 32 bytes.
    public static TokenIssuer Issuer(Terminal terminal)
    {
        var key = terminal.Variable("MARKET_SIGNING_KEY")
                  ?? throw new UsageException("MARKET_SIGNING_KEY is not set: give it the services' Auth:SigningKey (base64)");
        try
        {
            return new TokenIssuer(new AuthOptions { SigningKey = key });
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new UsageException($"MARKET_SIGNING_KEY is not usable: {e.Message}");
        }
    }
}
