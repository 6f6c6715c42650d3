namespace Marketplace.Broker.Exchange.Clearing;

// How hard the auction searches. Placements: the most (data center, start) choices an all-or-nothing bid
// is given, best own surplus first. Rounds: how often prices are set again after paradoxical blocks
// leave the auction.
public sealed record AuctionRules(int PlacementsPerBid = 24, TimeSpan? TimeLimit = null, int Rounds = 4)
{
    public TimeSpan SolverTimeLimit => TimeLimit ?? TimeSpan.FromSeconds(10);
}
