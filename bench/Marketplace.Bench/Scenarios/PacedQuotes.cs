using System.Diagnostics;
using Grpc.Core;
using Marketplace.Broker.V1;

namespace Marketplace.Bench.Scenarios;

// One tenant asking for quotes at a steady rate whatever the answers (open loop), as a client on its own
// schedule does; a closed loop would slow down with the server and hide the very delay measured here.
// Latency counts from when a call was due, so a send the machine made late is not hidden either.
public sealed class PacedQuotes(BrokerService.BrokerServiceClient broker, QuoteRequest request, double perSecond)
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public double PerSecond => perSecond;

    // Calls due in the warm-up are made but not counted; the run ends once the measured calls are answered.
    public async Task<PacedRun> RunAsync(TimeSpan warmUp, TimeSpan measured, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + Ticks(warmUp);
        var measureTo = measureFrom + Ticks(measured);
        var run = new PacedRun(measured);
        var calls = new List<Task>();
        for (long i = 0; ; i++)
        {
            var due = start + (long)(i * Stopwatch.Frequency / perSecond);
            if (due >= measureTo) break;
            var early = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (early > TimeSpan.Zero) await Task.Delay(early, ct);
            calls.Add(CallAsync(due, due >= measureFrom ? run : null, ct));
        }
        await Task.WhenAll(calls);
        return run;
    }

    async Task CallAsync(long due, PacedRun? run, CancellationToken ct)
    {
        try
        {
            await broker.RequestQuoteAsync(request, deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
            run?.Served(Stopwatch.GetTimestamp() - due);
        }
        // The tenant's own limit, told by its trailer (no capacity is RESOURCE_EXHAUSTED too, without one).
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && e.Trailers.GetValue("retry-after-ms") is not null)
        {
            run?.Limited();
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            run?.Failed(e);
        }
    }

    static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
