using System.Text.Json;

namespace Marketplace.Cli.Tests;

// What one marketctl command did: its exit code and what it wrote.
public sealed record CliRun(int ExitCode, string Out, string Err)
{
    public JsonElement Json() => JsonDocument.Parse(Out).RootElement;

    // `billing watch -o json` writes one JSON object per line.
    public IReadOnlyList<JsonElement> JsonLines() =>
        Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    public CliRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}");
        return this;
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}";
}
