namespace Marketplace.ServiceDefaults.Replicas;

// This process among the replicas of its service: the pod's host name where there is one, and a few random
// characters, so a restarted process is a new replica (its queues and leases are not the old one's).
public static class ReplicaIdentity
{
    public static string Id { get; } = $"{Host()}-{Guid.NewGuid():N}"[..Math.Min(Host().Length + 9, 40)];

    static string Host() => new string(Environment.MachineName.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(24).ToArray()) is
        { Length: > 0 } host ? host : "replica";
}
