using System.CommandLine;
using Marketplace.Cli.Parsing;

namespace Marketplace.Cli.Invocation;

// Options every command takes, wherever they appear on the line.
public sealed class GlobalOptions
{
    public Option<string> Output { get; } = new Option<string>("--output", "-o")
    {
        Description = "table for people, json for scripts",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    }.AcceptOnlyFromAmong("table", "json");

    public DurationOption RequestTimeout { get; } = new("--request-timeout", "deadline of each call to a service",
        TimeSpan.FromSeconds(10)) { Recursive = true };

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "no progress lines on stderr",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Add(Output);
        root.Add(RequestTimeout);
        root.Add(Quiet);
    }
}
