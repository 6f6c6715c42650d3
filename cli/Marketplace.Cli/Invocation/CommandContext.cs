using System.CommandLine;
using Google.Protobuf;
using Marketplace.Cli.Connection;
using Marketplace.Cli.Output;
using Marketplace.Cli.Profiles;
using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Cli.Invocation;

// One command's run: its output, its profile, its connection to the market and who it acts as.
public sealed class CommandContext(CliHost host, ParseResult parse) : IDisposable
{
    readonly List<MarketConnection> _connections = [];
    Profile? _profile;
    MarketConnection? _market;

    public Terminal Terminal => host.Terminal;
    public TextWriter Out => host.Terminal.Out;
    public TextWriter Err => host.Terminal.Err;
    public bool Json => parse.GetValue(host.Options.Output) == "json";
    public TimeSpan RequestTimeout => host.Options.RequestTimeout.ValueIn(parse);
    public Progress Progress { get; } = new(host.Terminal.Err, parse.GetValue(host.Options.Quiet));

    public ProfileStore Profiles { get; } = new(host.Terminal);
    public Profile Profile => _profile ??= Profiles.Load();

    // MARKET_TOKEN wins over the profile's token.
    public string? Token => Terminal.Variable("MARKET_TOKEN") ?? Profile.Token;
    public TokenIdentity? Identity => TokenIdentity.Read(Token);

    public MarketConnection Market => _market ??= Connect(Token);

    public MarketConnection Connect(string? token)
    {
        var connection = new MarketConnection(MarketAddresses.Resolve(Terminal, Profile), token, RequestTimeout);
        _connections.Add(connection);
        return connection;
    }

    // --tenant, or the subject of a tenant's own token.
    public string Tenant(string? given) => Subject(given, MarketRoles.Tenant, "--tenant");

    // --provider, or the subject of a provider's own token.
    public string Provider(string? given) => Subject(given, MarketRoles.Provider, "--provider");

    public void Write(IMessage message, Action<TextWriter> table)
    {
        if (Json)
            Out.WriteLine(JsonOutput.Of(message));
        else
            table(Out);
    }

    public void Write<T>(IReadOnlyCollection<T> messages, Action<TextWriter> table) where T : IMessage
    {
        if (Json)
            Out.WriteLine(JsonOutput.Of(messages));
        else
            table(Out);
    }

    public void WriteSummary(object summary, Action<TextWriter> table)
    {
        if (Json)
            Out.WriteLine(JsonOutput.Of(summary));
        else
            table(Out);
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
            connection.Dispose();
    }

    string Subject(string? given, string role, string option)
    {
        if (!string.IsNullOrWhiteSpace(given))
            return given;
        if (Identity is { } who && who.Role == role && who.Subject.Length > 0)
            return who.Subject;
        throw new UsageException($"{option} is required (or use a {role}'s own token, which names it)");
    }
}
