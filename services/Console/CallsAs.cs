using Grpc.Core;

namespace Marketplace.Console;

// Every call the console makes carries the signed-in person's own token: the service, not the console,
// decides what they may see or do. Unary calls get the console's deadline; a stream lives as long as its page.
static class CallsAs
{
    public static CallOptions Unary(string token, ConsoleOptions options, CancellationToken ct) =>
        Options(token, DateTime.UtcNow + options.CallDeadline, ct);

    public static CallOptions Stream(string token, CancellationToken ct) => Options(token, null, ct);

    static CallOptions Options(string token, DateTime? deadline, CancellationToken ct) => new(
        deadline: deadline,
        cancellationToken: ct,
        credentials: CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        }));
}
