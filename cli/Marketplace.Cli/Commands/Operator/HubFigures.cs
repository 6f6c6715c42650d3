namespace Marketplace.Cli.Commands.Operator;

// Usage billed in one national hub.
public sealed class HubFigures
{
    public required string HubId { get; init; }
    public double AcceleratorHours { get; set; }
    public double EnergyKwh { get; set; }
    public decimal Gross { get; set; }
}
