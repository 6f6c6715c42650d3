namespace Marketplace.Console;

public sealed class ConsoleOptions
{
    public const string Section = "Console";

    // Billing's gRPC endpoint (h2c); the console reads the ledger and the live feed there.
    public Uri BillingAddress { get; set; } = new("http://127.0.0.1:5103");

    // Deadline on the console's unary calls to billing.
    public TimeSpan CallDeadline { get; set; } = TimeSpan.FromSeconds(5);
}
