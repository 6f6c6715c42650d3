using System.Diagnostics;

namespace Marketplace.Broker.Exchange.Clearing;

// Where one clearing spent its time, summed over its rounds, and how big its programs were: filled in by
// CallAuction when it is given one (the bench does), so a slow auction says which part is slow.
public sealed class ClearingProfile
{
    public TimeSpan Build { get; private set; }      // demands, placements and the programs, every round
    public TimeSpan SolveMip { get; private set; }   // SCIP choosing the blocks (or searching past the dive)
    public TimeSpan SolveLp { get; private set; }    // GLOP: the relaxation, the dive, the prices with the blocks fixed
    public TimeSpan SolveFlow { get; private set; }  // MinCostFlow and its potentials: the prices with the blocks fixed
    public TimeSpan Settle { get; private set; }     // dispatch, fills, prices and the outcome
    public int Variables { get; private set; }       // of the largest program solved (a flow's arcs)
    public int Constraints { get; private set; }     // (a flow's nodes)
    public int IntegerVariables { get; private set; }
    public int Parts { get; internal set; } = 1;     // independent books cleared one by one
    public int Unsolved { get; internal set; }       // programs stopped by the time limit with no solution at all

    public TimeSpan Total => Build + SolveMip + SolveLp + SolveFlow + Settle;

    internal T Time<T>(Part part, Func<T> work)
    {
        var started = Stopwatch.GetTimestamp();
        var result = work();
        var spent = Stopwatch.GetElapsedTime(started);
        switch (part)
        {
            case Part.Build: Build += spent; break;
            case Part.SolveMip: SolveMip += spent; break;
            case Part.SolveLp: SolveLp += spent; break;
            case Part.SolveFlow: SolveFlow += spent; break;
            default: Settle += spent; break;
        }
        return result;
    }

    internal void Sized(int variables, int constraints, int integers)
    {
        if (variables <= Variables)
            return;
        (Variables, Constraints, IntegerVariables) = (variables, constraints, integers);
    }

    internal enum Part { Build, SolveMip, SolveLp, SolveFlow, Settle }
}
