using Marketplace.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Marketplace.ServiceDefaults.Health;

// Healthy only while the bus says so and a new connection to RabbitMQ opens in time: a killed node
// refuses it at once and a partition lets it hang, where the bus's own connection would look alive
// until heartbeats miss. A check never waits longer than Timeout for its answer, whatever the network
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
            return HealthCheckResult.Unhealthy($"RabbitMQ at {address.Host}:{address.Port} did not answer within {Timeout.TotalSeconds:0} s");
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

    async Task<HealthCheckResult> ProbeAsync()
    {
        var factory = new ConnectionFactory
        {
            HostName = address.Host, Port = address.Port, VirtualHost = address.VirtualHost,
            UserName = address.Username, Password = address.Password,
            RequestedConnectionTimeout = Timeout, HandshakeContinuationTimeout = Timeout,
            AutomaticRecoveryEnabled = false, ClientProvidedName = "health-probe",
        };
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await using var connection = await factory.CreateConnectionAsync(timeout.Token);
            await connection.CloseAsync(timeout.Token);
            return HealthCheckResult.Healthy($"connected to {address.Host}:{address.Port}");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"RabbitMQ at {address.Host}:{address.Port} does not answer", ex);
        }
    }
}
