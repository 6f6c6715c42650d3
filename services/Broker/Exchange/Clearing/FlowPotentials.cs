namespace Marketplace.Broker.Exchange.Clearing;

// Node potentials of an optimal min-cost flow (MinCostFlow keeps its own to itself): shortest distances in
// the residual network from a root joined to every node at no cost, by Bellman-Ford with a queue. An
// optimal flow leaves no negative cycle, so they exist, and every residual arc then costs no less than the
// difference of its ends' potentials: the complementary slackness that makes them the network's duals.
static class FlowPotentials
{
    public static long[] Of(int nodes, IReadOnlyList<FlowArc> arcs, long[] flows)
    {
        // The residual network, as arcs out of each node: forward where the arc has room, backward where it
        // carries flow.
        var tails = new int[2 * arcs.Count];
        var heads = new int[2 * arcs.Count];
        var costs = new long[2 * arcs.Count];
        var count = 0;
        var degree = new int[nodes + 1];
        for (var a = 0; a < arcs.Count; a++)
        {
            var ((tail, head, capacity, cost), carried) = (arcs[a], flows[a]);
            if (carried < capacity)
                (tails[count], heads[count], costs[count], count) = (tail, head, cost, count + 1);
            if (carried > 0)
                (tails[count], heads[count], costs[count], count) = (head, tail, -cost, count + 1);
        }
        for (var r = 0; r < count; r++)
            degree[tails[r] + 1]++;
        for (var n = 0; n < nodes; n++)
            degree[n + 1] += degree[n];
        var fill = degree[..nodes];
        var outHead = new int[count];
        var outCost = new long[count];
        for (var r = 0; r < count; r++)
        {
            var at = fill[tails[r]]++;
            (outHead[at], outCost[at]) = (heads[r], costs[r]);
        }

        var potential = new long[nodes];
        var queued = new bool[nodes];
        var queue = new Queue<int>(nodes);
        for (var n = 0; n < nodes; n++)
        {
            queue.Enqueue(n);
            queued[n] = true;
        }
        while (queue.TryDequeue(out var n))
        {
            queued[n] = false;
            for (var r = degree[n]; r < degree[n + 1]; r++)
                if (potential[n] + outCost[r] < potential[outHead[r]])
                {
                    potential[outHead[r]] = potential[n] + outCost[r];
                    if (!queued[outHead[r]])
                    {
                        queued[outHead[r]] = true;
                        queue.Enqueue(outHead[r]);
                    }
                }
        }
        return potential;
    }
}

// An arc of a min-cost flow as it was added: MinCostFlow numbers arcs in the order they are added.
readonly record struct FlowArc(int Tail, int Head, long Capacity, long Cost);
