using RabbitMQ.Client;

namespace Marketplace.Bench.Scenarios;

// Removes the queues (and MassTransit's same-named exchanges) a scenario's services declared: a durable
// queue left bound would keep taking copies of every later event and load RabbitMQ in later scenarios.
public static class BusCleanup
{
    public static async Task DeleteAsync(Uri rabbit, params string[] endpoints)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var endpoint in endpoints)
        {
            await channel.QueueDeleteAsync(endpoint, ifUnused: false, ifEmpty: false);
            await channel.ExchangeDeleteAsync(endpoint, ifUnused: false);
        }
    }
}
