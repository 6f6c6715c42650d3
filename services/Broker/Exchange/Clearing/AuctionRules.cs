namespace Marketplace.Broker.Exchange.Clearing;

// How hard the auction searches. Placements: the most (data center, start) choices an all-or-nothing bid
// is given, best own surplus first. Rounds: how often prices are set again after paradoxical blocks
// leave the auction. Decompose: clear the book's independent parts (IndependentBooks) one by one rather
// than as one program: the same optimum, in smaller programs where the book falls apart.
public sealed record AuctionRules(int PlacementsPerBid = 24, TimeSpan? TimeLimit = null, int Rounds = 4, bool Decompose = true)
{
    public TimeSpan SolverTimeLimit => TimeLimit ?? TimeSpan.FromSeconds(10);
}
