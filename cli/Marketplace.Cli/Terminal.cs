namespace Marketplace.Cli;

// Where a run of marketctl reads and writes: its own streams and environment, so tests run it in-process.
public sealed class Terminal(TextWriter output, TextWriter error, IDictionary<string, string?> environment)
{
    public TextWriter Out { get; } = output;
    public TextWriter Err { get; } = error;

    public string? Variable(string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
