using Marketplace.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Marketplace.ServiceDefaults.Health;

// Healthy only while the bus says so and a new connection to RabbitMQ opens within the timeout: a
// killed node refuses it at once and a partition times it out, where the bus's own connection would
// look alive until heartbeats miss. One probe a second at most, however often health is asked.
sealed class RabbitMqHealthCheck(RabbitMqAddress address, IBusControl bus) : IHealthCheck
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(1);
    readonly SemaphoreSlim _probing = new(1, 1);
    (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var busHealth = bus.CheckHealth();
        if (busHealth.Status == BusHealthStatus.Unhealthy)
            return HealthCheckResult.Unhealthy($"the bus is not connected: {busHealth.Description}");

        await _probing.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && DateTimeOffset.UtcNow - last.At < ReuseFor)
                return last.Result;
            var result = await ProbeAsync(cancellationToken);
            _last = (DateTimeOffset.UtcNow, result);
            return result;
        }
        finally
        {
            _probing.Release();
        }
    }

    async Task<HealthCheckResult> ProbeAsync(CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            HostName = address.Host, Port = address.Port, VirtualHost = address.VirtualHost,
            UserName = address.Username, Password = address.Password,
            RequestedConnectionTimeout = Timeout, HandshakeContinuationTimeout = Timeout,
            AutomaticRecoveryEnabled = false, ClientProvidedName = "health-probe",
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var connection = await factory.CreateConnectionAsync(timeout.Token);
            await connection.CloseAsync(timeout.Token);
            return HealthCheckResult.Healthy($"connected to {address.Host}:{address.Port}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || timeout.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"RabbitMQ at {address.Host}:{address.Port} does not answer", ex);
        }
    }
}
