using System.Diagnostics;
using System.Text.RegularExpressions;
using Testcontainers.RabbitMq;
using Testcontainers.Redis;

namespace Marketplace.Testing.Servers;

// A real Redis and a real RabbitMQ for integration tests. For each, independently: environment
// variable, else Testcontainers when a Docker engine answers, else local binaries, else a clear error.
public sealed class TestServers : IAsyncDisposable
{
    public const string RedisVariable = "MARKETPLACE_TEST_REDIS";
    public const string RabbitMqVariable = "MARKETPLACE_TEST_RABBITMQ";
    internal const string HowToGetServers =
        "Integration tests need a real Redis and RabbitMQ; never skipped. Get them in one of these ways: " +
        "(1) apt-get install -y redis-server rabbitmq-server (started per test run as local processes); " +
        $"(2) set {RedisVariable} to a StackExchange.Redis connection string and {RabbitMqVariable} to an amqp:// URI of running servers; " +
        "(3) run a Docker engine (Testcontainers starts redis:7.0 and rabbitmq:3.10).";

    readonly IAsyncDisposable[] _owned;

    public string RedisConnectionString { get; }
    public Uri RabbitMqUri { get; }
    public string Source { get; }

    TestServers(Started redis, Started rabbit)
    {
        RedisConnectionString = redis.Address;
        RabbitMqUri = new Uri(rabbit.Address);
        Source = redis.Source == rabbit.Source ? redis.Source : $"redis: {redis.Source}, rabbitmq: {rabbit.Source}";
        _owned = new[] { redis.Owner, rabbit.Owner }.OfType<IAsyncDisposable>().ToArray();
    }

    public static async Task<TestServers> StartAsync(CancellationToken ct = default)
    {
        var redisEnv = FromEnvironment(RedisVariable);
        var rabbitEnv = FromEnvironment(RabbitMqVariable);
        if (rabbitEnv is not null && !(Uri.TryCreate(rabbitEnv, UriKind.Absolute, out var u) && u.Scheme is "amqp" or "amqps"))
            throw new InvalidOperationException($"{RabbitMqVariable} must be an amqp:// or amqps:// URI, got '{Redact(rabbitEnv)}'");
        var docker = (redisEnv is null || rabbitEnv is null) && await DockerEngine.IsAvailableAsync(ct);

        // Both start concurrently: RabbitMQ's ~8 s boot dominates either way.
        var redis = ResolveAsync(redisEnv, docker, StartRedisContainerAsync, async t => { var r = await RedisServerProcess.StartAsync(t); return (r.ConnectionString, r); }, ct);
        var rabbit = ResolveAsync(rabbitEnv, docker, StartRabbitContainerAsync, async t => { var r = await RabbitMqServerProcess.StartAsync(t); return (r.Uri.ToString(), r); }, ct);
        try { await Task.WhenAll(redis, rabbit); }
        catch
        {
            foreach (var task in new[] { redis, rabbit })
                if (task.IsCompletedSuccessfully && task.Result.Owner is { } owner) await owner.DisposeAsync();
            throw;
        }
        Console.Error.WriteLine($"test servers: redis {Redact(redis.Result.Address)} ({redis.Result.Describe()}), rabbitmq {Redact(rabbit.Result.Address)} ({rabbit.Result.Describe()})");
        return new TestServers(redis.Result, rabbit.Result);
    }

    // Stops only what this instance started; servers given by environment variables are left alone.
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_owned.Select(o => o.DisposeAsync().AsTask()));
    }

    sealed record Started(string Address, string Source, IAsyncDisposable? Owner, TimeSpan Took)
    {
        public string Describe() => Owner is null ? Source : $"{Source}, {Took.TotalSeconds:0.0} s";
    }

    static async Task<Started> ResolveAsync(string? fromEnv, bool docker,
        Func<CancellationToken, Task<(string, IAsyncDisposable)>> container,
        Func<CancellationToken, Task<(string, IAsyncDisposable)>> local, CancellationToken ct)
    {
        if (fromEnv is not null) return new Started(fromEnv, "environment", null, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        var (address, owner) = await (docker ? container(ct) : local(ct));
        return new Started(address, docker ? "testcontainers" : "local processes", owner, clock.Elapsed);
    }

    static async Task<(string, IAsyncDisposable)> StartRedisContainerAsync(CancellationToken ct)
    {
        var container = new RedisBuilder("redis:7.0").Build();
        try { await container.StartAsync(ct); }
        catch { await container.DisposeAsync(); throw; }
        return (container.GetConnectionString() + ",allowAdmin=true", container);
    }

    static async Task<(string, IAsyncDisposable)> StartRabbitContainerAsync(CancellationToken ct)
    {
        var container = new RabbitMqBuilder("rabbitmq:3.10").WithUsername("guest").WithPassword("guest").Build();
        try { await container.StartAsync(ct); }
        catch { await container.DisposeAsync(); throw; }
        return (container.GetConnectionString(), container);
    }

    static string? FromEnvironment(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;

    // Keeps secrets from environment-given addresses out of test logs.
    static string Redact(string address) =>
        Regex.Replace(Regex.Replace(address, @"//[^@/]*@", "//***@"), @"password=[^,]*", "password=***", RegexOptions.IgnoreCase);
}
