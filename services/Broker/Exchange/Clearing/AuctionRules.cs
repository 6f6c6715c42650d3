namespace Marketplace.Broker.Exchange.Clearing;

// How hard the auction searches. Placements: the most (data center, start) choices an all-or-nothing bid
// is given, best own surplus first. Rounds: how often prices are set again after paradoxical blocks
// leave the auction. Decompose: clear the book's independent parts (IndependentBooks) one by one rather
// than as one program: the same optimum, in smaller programs where the book falls apart. AllTakes: put
// every take (bid x product x slot) in the programs from the start, and every block in SCIP's, rather than
// only those that pay (ColumnClearing): the same optimum, in programs many times the size. SearchLimit:
// how long SCIP may look for blocks better than ColumnClearing's dive found (the gap says what is left).
// LargestRelaxation: the most takes a book may have for ColumnClearing to solve its relaxation; past it
// GLOP's relaxation and dive take many seconds, and merit-order blocks are taken instead. FlowPrices: with
// the blocks fixed, price whole accelerator-hour takes by a min-cost flow (FlowProgram) rather than GLOP:
// the same optimum, and prices that support it as the duals do.
public sealed record AuctionRules(int PlacementsPerBid = 24, TimeSpan? TimeLimit = null, int Rounds = 4, bool Decompose = true,
    bool AllTakes = false, TimeSpan? SearchLimit = null, int LargestRelaxation = 100_000, bool FlowPrices = true)
{
    public TimeSpan SolverTimeLimit => TimeLimit ?? TimeSpan.FromSeconds(10);
    public TimeSpan SearchTimeLimit => TimeSpan.FromTicks(Math.Min((SearchLimit ?? TimeSpan.FromSeconds(1)).Ticks, SolverTimeLimit.Ticks));
}
