namespace Marketplace.Cli.Tests;

// market.sh keeps the market clock in its state folder (deploy/local/market-clock.sh): a run starts
// where the last one stopped, neither back at the wall clock's date (stored leases would lie in the
// future) nor as if the market had run on while nothing ran. `market.sh reset` forgets it.
public sealed class The_market_clock_across_runs : IDisposable
{
    const double Speed = 3600;
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("market-clock-");

    public void Dispose()
    {
        if (_state.Exists)
            _state.Delete(recursive: true);
    }

    [Fact]
    public async Task Starts_a_run_where_the_last_one_stopped()
    {
        // A first run of about a second at an hour a second, then a stop; a second run a second later.
        var first = await ClockAsync("""
            market_clock_start "$STATE" 3600; echo "$MarketClock__Anchor $MarketClock__Epoch"
            sleep 1; market_clock_seen "$STATE" 0
            """);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var second = await ClockAsync("""market_clock_start "$STATE" 3600; echo "$MarketClock__Anchor $MarketClock__Epoch" """);

        var ranFor = TimeSpan.FromTicks((long)((second.Anchor - first.Anchor).Ticks * Speed));
        Assert.True(second.Epoch >= first.Epoch + TimeSpan.FromHours(1), $"the first run's hour is kept: {first} then {second}");
        Assert.True(second.Epoch <= first.Epoch + ranFor - TimeSpan.FromMinutes(30), $"the clock stood still while stopped: {first} then {second}");
        Assert.True(second.Epoch > second.Anchor, "market time is ahead of the wall clock");
    }

    [Fact]
    public async Task Is_forgotten_by_reset()
    {
        await ClockAsync("""market_clock_start "$STATE" 3600; sleep 1; market_clock_seen "$STATE" 0""");
        Assert.True(File.Exists(Path.Combine(_state.FullName, "clock.env")));

        var reset = await Shell.RunAsync(Checkout.MarketSh, ["reset", "--yes"], Environment(), Limit);

        Assert.Equal(0, reset.ExitCode);
        Assert.Contains("deleted", reset.Out);
        Assert.False(Directory.Exists(_state.FullName), "the state folder is gone");
    }

    // One run of market.sh, as far as its clock goes: the helper sourced in a bash of its own.
    async Task<ClockRun> ClockAsync(string script)
    {
        var run = await Shell.RunAsync("bash", ["-euc", $". \"$ROOT/deploy/local/market-clock.sh\"\n{script}"], Environment(), Limit);
        var words = run.Succeeded().Out.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length == 2 ? new ClockRun(DateTimeOffset.Parse(words[0]), DateTimeOffset.Parse(words[1])) : default;
    }

    Dictionary<string, string?> Environment() => new()
    {
        ["ROOT"] = Checkout.Root,
        ["STATE"] = _state.FullName,
        ["MARKET_STATE_DIR"] = _state.FullName,
        // reset refuses while its Redis port answers: one nothing listens on.
        ["MARKET_REDIS_PORT"] = "1",
    };

    readonly record struct ClockRun(DateTimeOffset Anchor, DateTimeOffset Epoch);
}
