namespace Marketplace.Cli.Invocation;

// What every command of one run shares: the terminal it runs in and the global options.
public sealed class CliHost(Terminal terminal, GlobalOptions options)
{
    public Terminal Terminal { get; } = terminal;
    public GlobalOptions Options { get; } = options;
}
