using StackExchange.Redis;

namespace Marketplace.Testing.Market;

// Waits for something that crosses the bus, with a deadline, and says what it waited for if it never came.
// A probe that fails on the way (a Redis read cancelled or timed out on a loaded machine) is asked again:
// only the deadline decides, and its message carries the last such failure.
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        Exception? lastFailure = null;
        while (true)
        {
            try
            {
                if (await probe() is { } value)
                    return value;
            }
            catch (Exception e) when (IsTransient(e)) { lastFailure = e; }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"gave up waiting for {what}" +
                                           (lastFailure is null ? "" : $"; the probe last failed with {lastFailure.GetType().Name}: {lastFailure.Message}"),
                    lastFailure);
            await Task.Delay(50);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan? timeout = null) =>
        GetAsync(async () => await probe() ? new object() : null, what, timeout);

    static bool IsTransient(Exception e) => e is RedisException or OperationCanceledException or TimeoutException;
}
