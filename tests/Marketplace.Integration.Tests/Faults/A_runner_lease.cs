using Marketplace.ServiceDefaults.Replicas;
using Marketplace.Testing.Market;
using StackExchange.Redis;

namespace Marketplace.Integration.Tests.Faults;

// The lease that lets one replica at a time run a piece of work, against a real Redis: the second replica is
// refused while the first holds it, even through a turn longer than the time to live; it takes over once the
// holder stops renewing, or at once when the holder releases it; a holder whose key another took has its
// turn cancelled.
[Collection(MarketCollection.Name)]
public sealed class A_runner_lease(MarketFixture fixture) : IAsyncLifetime
{
    static readonly TimeSpan Ttl = TimeSpan.FromMilliseconds(900);
    readonly string _work = Samples.UniqueId("work");
    ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(fixture.Market.Servers.RedisConnectionString);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    RunnerLease Replica(string id) => new(_redis, id);

    [Fact]
    public async Task Keeps_one_holder_through_a_long_turn_and_hands_over_when_it_stops()
    {
        var (a, b) = (Replica("replica-a"), Replica("replica-b"));

        await using (var turn = await a.TryTakeAsync(_work, Ttl, CancellationToken.None))
        {
            Assert.NotNull(turn);
            for (var i = 0; i < 6; i++) // 3 times the time to live
            {
                Assert.Null(await b.TryTakeAsync(_work, Ttl, CancellationToken.None));
                await Task.Delay(Ttl / 2);
            }
            Assert.False(turn.Token.IsCancellationRequested);
            Assert.Equal("replica-a", await a.HolderAsync(_work));
        }

        // a's turn is over and it renews no more: b gets the work once the key runs out.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        RunnerLease.Turn? taken;
        while ((taken = await b.TryTakeAsync(_work, Ttl, CancellationToken.None)) is null)
        {
            Assert.True(waited.Elapsed < Ttl * 3, "b never took the work over");
            await Task.Delay(50);
        }
        await taken.DisposeAsync();
        Assert.Equal("replica-b", await b.HolderAsync(_work));

        // Released in good order: a takes it at once.
        await b.ReleaseAsync(_work);
        await using var again = await a.TryTakeAsync(_work, Ttl, CancellationToken.None);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task Cancels_a_turn_whose_key_another_replica_holds()
    {
        var a = Replica("replica-a");
        await using var turn = await a.TryTakeAsync(_work, Ttl, CancellationToken.None);
        Assert.NotNull(turn);

        // As if a's key had run out (a pause longer than the time to live) and c had taken it.
        await _redis.GetDatabase().StringSetAsync(RunnerLease.KeyOf(_work), "replica-c", Ttl * 10);

        await Eventually.TrueAsync(() => Task.FromResult(turn.Token.IsCancellationRequested), "a's turn cancelled", Ttl * 3);
        Assert.Equal("replica-c", await a.HolderAsync(_work));
    }
}
