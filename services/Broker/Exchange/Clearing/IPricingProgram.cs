namespace Marketplace.Broker.Exchange.Clearing;

// A solved program with the blocks fixed, as Settlement reads it: what each bid took of each pool, and
// each pool's dual, its price.
interface IPricingProgram : IDisposable
{
    IReadOnlyList<Product> Products { get; }

    IEnumerable<(DivisibleDemand Demand, int Product, int Slot, int Units)> Takes();

    IEnumerable<((int Product, int Slot) At, double Dual)> PoolDuals();
}
