using System.Diagnostics;

namespace Marketplace.Cli.Output;

// Progress of a long operation, on stderr so stdout stays the result; --quiet silences it.
public sealed class Progress(TextWriter error, bool quiet)
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    string? _last;

    public void Report(string line)
    {
        if (quiet)
            return;
        error.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0}s] {line}");
        _last = line;
    }

    // Only when something changed: polling loops call this every tick.
    public void Update(string line)
    {
        if (line != _last)
            Report(line);
    }
}
