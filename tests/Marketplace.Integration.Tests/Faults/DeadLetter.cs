using System.Text;
using RabbitMQ.Client;

namespace Marketplace.Integration.Tests.Faults;

// One message taken off an error queue: its body and the reason it was put there, as any AMQP client reads it.
sealed record DeadLetter(byte[] Body, IReadOnlyDictionary<string, object?> Headers)
{
    public string? Reason => Headers.TryGetValue("reason", out var value) ? Text(value) : null;

    // Long headers (MassTransit's stack traces) cut short: enough to see what they are.
    public string Describe() =>
        $"{Body.Length} bytes, headers {{{string.Join(", ", Headers.Select(h => $"{h.Key}={Short(Text(h.Value))}"))}}}";

    // Takes every ready message off the queue.
    public static async Task<List<DeadLetter>> TakeAllAsync(Uri rabbit, string queue, CancellationToken ct = default)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var letters = new List<DeadLetter>();
        while (await channel.BasicGetAsync(queue, autoAck: true, ct) is { } delivery)
            letters.Add(new DeadLetter(delivery.Body.ToArray(),
                (delivery.BasicProperties.Headers ?? new Dictionary<string, object?>()).ToDictionary()));
        return letters;
    }

    static string? Short(string? text) => text is { Length: > 120 } ? text[..120] + "..." : text;

    // AMQP strings arrive as bytes.
    static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        null => null,
        _ => value.ToString(),
    };
}
