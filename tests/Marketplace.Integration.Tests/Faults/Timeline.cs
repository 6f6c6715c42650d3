using System.Diagnostics;
using Xunit.Abstractions;

namespace Marketplace.Integration.Tests.Faults;

// Test output lines stamped with the seconds since the test began: what happened when is the evidence.
sealed class Timeline(ITestOutputHelper output)
{
    readonly Stopwatch _clock = Stopwatch.StartNew();

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Say(string line) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {line}");
}
