using Marketplace.Testing.Market;
using Marketplace.Testing.Servers;

namespace Marketplace.Bench.Scenarios;

// A drain is timed only from a queue holding exactly the batch: no leftovers, nothing still in flight.
public static class QueueCheck
{
    public static async Task ExpectReadyAsync(Uri rabbit, string queue, int count, CancellationToken ct)
    {
        uint ready = 0;
        try
        {
            await Eventually.TrueAsync(async () => (ready = await RabbitMqAdmin.MessageCountAsync(rabbit, queue, ct)) == count,
                $"{queue} to hold {count} messages", TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"{queue} holds {ready} messages, not the {count} published");
        }
    }
}
