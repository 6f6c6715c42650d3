namespace Marketplace.ServiceDefaults.Replicas;

// This process among the replicas of its service: the pod's host name (where there is one), the process id
// and a few random characters, so a restarted process is a new replica (its queues and leases are not the
// old one's) and an operator can tell which process holds what.
public static class ReplicaIdentity
{
    public static string Id { get; } = $"{Host()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..5]}";

    static string Host() => new string(Environment.MachineName.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(24).ToArray()) is
        { Length: > 0 } host ? host : "replica";
}
