using Marketplace.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Marketplace.ServiceDefaults.Health;

// Healthy only while the bus says so and a new connection to RabbitMQ opens in time: a killed node
// refuses it at once and a partition lets it hang, where the bus's own connection would look alive
// until heartbeats miss. Of a cluster, every node is tried at once and one that answers is enough: the
// bus fails over to it. A check never waits longer than Timeout for its answer, whatever the network
// does, and one probe serves every check for a second.
sealed class RabbitMqHealthCheck(RabbitMqAddress address, IBusControl bus) : IHealthCheck
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(1);
    readonly object _gate = new();
    Task<HealthCheckResult>? _probe;
    DateTimeOffset _probeStarted;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var busHealth = bus.CheckHealth();
        if (busHealth.Status == BusHealthStatus.Unhealthy)
            return HealthCheckResult.Unhealthy($"the bus is not connected: {busHealth.Description}");
        try
        {
            return await CurrentProbe().WaitAsync(Timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"RabbitMQ at {address.Describe()} did not answer within {Timeout.TotalSeconds:0} s");
        }
    }

    // The probe under way, or the last one's answer while it is fresh; otherwise a new probe.
    Task<HealthCheckResult> CurrentProbe()
    {
        lock (_gate)
        {
            var running = _probe is { IsCompleted: false };
            if (_probe is null || (!running && DateTimeOffset.UtcNow - _probeStarted >= ReuseFor))
            {
                _probeStarted = DateTimeOffset.UtcNow;
                _probe = Task.Run(ProbeAsync);
            }
            return _probe;
        }
    }

    // The first node to accept a connection makes the answer; the others' attempts are then cancelled.
    async Task<HealthCheckResult> ProbeAsync()
    {
        using var done = new CancellationTokenSource(Timeout);
        var attempts = address.Nodes.Select(node => ConnectAsync(node, done.Token)).ToList();
        var failures = new List<Exception>();
        while (attempts.Count > 0)
        {
            var attempt = await Task.WhenAny(attempts);
            attempts.Remove(attempt);
            if (attempt.IsCompletedSuccessfully)
            {
                await done.CancelAsync();
                return HealthCheckResult.Healthy($"connected to {attempt.Result}");
            }
            failures.Add(attempt.Exception?.GetBaseException() ?? new OperationCanceledException());
        }
        var error = failures.Count == 1 ? failures[0] : new AggregateException(failures);
        return HealthCheckResult.Unhealthy($"RabbitMQ at {address.Describe()} does not answer", error);
    }

    async Task<RabbitMqNode> ConnectAsync(RabbitMqNode node, CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            HostName = node.Host, Port = node.Port, VirtualHost = address.VirtualHost,
            UserName = address.Username, Password = address.Password,
            RequestedConnectionTimeout = Timeout, HandshakeContinuationTimeout = Timeout,
            AutomaticRecoveryEnabled = false, ClientProvidedName = "health-probe",
        };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await connection.CloseAsync(ct);
        return node;
    }
}
