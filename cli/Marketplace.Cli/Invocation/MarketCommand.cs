using System.CommandLine;

namespace Marketplace.Cli.Invocation;

// A command that does something in the market. Its failures become one message on stderr and the
// exit code of their class; a service's complaint about a field also names the option that sets it.
public abstract class MarketCommand : Command
{
    protected MarketCommand(CliHost host, string name, string description) : base(name, description)
    {
        SetAction(async (parse, ct) =>
        {
            using var context = new CommandContext(host, parse);
            try
            {
                return await RunAsync(context, parse, ct);
            }
            catch (Exception failure)
            {
                return ErrorReport.Write(failure, host.Terminal.Err, OptionFor);
            }
        });
    }

    // The contract's field names, and the options that set them, for error messages.
    protected virtual IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>();

    protected abstract Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct);

    // "window.end" is set by the option for "window.end", else by the one for "window".
    string? OptionFor(string field)
    {
        for (var name = field; name.Length > 0; name = name.Contains('.') ? name[..name.LastIndexOf('.')] : "")
            if (FieldOptions.TryGetValue(name, out var option))
                return option;
        return null;
    }
}
