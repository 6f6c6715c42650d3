namespace Marketplace.Cli.Invocation;

// A command used wrongly in a way the parser cannot see (a missing tenant, no signing key): exit code 2.
public sealed class UsageException(string message) : Exception(message);
