using System.CommandLine;
using Marketplace.Cli.Invocation;

namespace Marketplace.Cli.Commands.Profile;

// marketctl profile set: keep a token, addresses or the billing cursor for the next commands.
public sealed class ProfileSetCommand : MarketCommand
{
    readonly Option<string?> _token = new("--token") { Description = "bearer token (MARKET_TOKEN overrides it)" };
    readonly Option<string?> _provider = new("--provider-address") { Description = "provider service, e.g. http://127.0.0.1:5101" };
    readonly Option<string?> _broker = new("--broker-address") { Description = "broker service, e.g. http://127.0.0.1:5102" };
    readonly Option<string?> _billing = new("--billing-address") { Description = "billing service, e.g. http://127.0.0.1:5103" };
    readonly Option<string?> _cursor = new("--cursor") { Description = "where the next 'billing watch' resumes ('' for the start)" };

    public ProfileSetCommand(CliHost host) : base(host, "set", "Set values in the profile")
    {
        Add(_token);
        Add(_provider);
        Add(_broker);
        Add(_billing);
        Add(_cursor);
    }

    protected override Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var profile = context.Profile;
        profile.Token = parse.GetValue(_token) ?? profile.Token;
        profile.ProviderAddress = Address(parse, _provider) ?? profile.ProviderAddress;
        profile.BrokerAddress = Address(parse, _broker) ?? profile.BrokerAddress;
        profile.BillingAddress = Address(parse, _billing) ?? profile.BillingAddress;
        if (parse.GetResult(_cursor) is not null)
            profile.BillingCursor = parse.GetValue(_cursor) is { Length: > 0 } cursor ? cursor : null;
        context.Profiles.Save(profile);
        context.Err.WriteLine($"saved {context.Profiles.Path}");
        return Task.FromResult(ExitCodes.Ok);
    }

    static string? Address(ParseResult parse, Option<string?> option) => parse.GetValue(option) switch
    {
        null => null,
        var text when Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" => text,
        var text => throw new UsageException($"{option.Name}: '{text}' is not an http(s) address"),
    };
}
