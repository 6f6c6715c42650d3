namespace Marketplace.Console.Exchange;

// So many accelerators at this price an hour.
public sealed record LevelView(long PriceFen, int Accelerators);
