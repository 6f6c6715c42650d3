using System.Collections.Concurrent;
using System.Diagnostics;
using Marketplace.Broker.V1;

namespace Marketplace.Bench.Scenarios;

// Quotes made before a run, one per accept: a quote is accepted once, so the accept target consumes them.
// The runner is time-bounded, so before each run the pool is topped up for that run's length at several
// times the fastest rate seen so far; running dry fails the run loudly rather than measuring quoting.
public sealed class QuotePool(BrokerService.BrokerServiceClient broker, QuoteRequest request)
{
    const int Preparers = 16;
    const double Headroom = 4;              // a cold first run goes several times slower than a warm one
    const double FloorPerSecond = 1_000;    // before any rate is known, and never planned below
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    readonly ConcurrentQueue<string> _quotes = new();
    long _accepted, _failed, _acceptedAtTopUp, _toppedUpAt, _lastAcceptAt;
    double _fastest;

    public long Accepted => Interlocked.Read(ref _accepted);
    public long Failed => Interlocked.Read(ref _failed);
    public long Prepared { get; private set; }

    public async Task TopUpAsync(TimeSpan run, CancellationToken ct)
    {
        // The rate of the last run alone: other targets run between this target's runs.
        var lastAccept = Interlocked.Read(ref _lastAcceptAt);
        if (_toppedUpAt != 0 && lastAccept > _toppedUpAt)
            _fastest = Math.Max(_fastest, (Accepted - _acceptedAtTopUp) / Stopwatch.GetElapsedTime(_toppedUpAt, lastAccept).TotalSeconds);
        var wanted = (int)Math.Ceiling(Math.Max(FloorPerSecond, _fastest * Headroom) * run.TotalSeconds);
        var requests = (wanted - _quotes.Count + 4) / 5; // a reply holds up to MaxOptions (5) quotes, each acceptable on its own
        if (requests > 0)
        {
            var clock = Stopwatch.StartNew();
            var before = _quotes.Count;
            await Parallel.ForEachAsync(Enumerable.Range(0, requests),
                new ParallelOptions { MaxDegreeOfParallelism = Preparers, CancellationToken = ct }, async (_, token) =>
                {
                    var reply = await broker.RequestQuoteAsync(request, deadline: DateTime.UtcNow + Deadline, cancellationToken: token);
                    foreach (var quote in reply.Options)
                        _quotes.Enqueue(quote.Id);
                });
            Prepared += _quotes.Count - before;
            Console.Error.WriteLine($"  prepared {_quotes.Count - before:N0} quotes in {clock.Elapsed.TotalSeconds:0.0} s " +
                                    $"({_quotes.Count:N0} ready for {run.TotalSeconds:0} s at up to {wanted / run.TotalSeconds:N0} accepts/s)");
        }
        _acceptedAtTopUp = Accepted;
        _toppedUpAt = Stopwatch.GetTimestamp();
    }

    public async Task AcceptNextAsync(CancellationToken ct)
    {
        if (!_quotes.TryDequeue(out var quoteId))
            throw new InvalidOperationException($"ran out of prepared quotes after {Accepted:N0} accepts; raise {nameof(Headroom)}");
        try
        {
            await broker.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quoteId, IdempotencyKey = $"bench-{quoteId}" },
                deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
            Interlocked.Increment(ref _accepted);
            Interlocked.Exchange(ref _lastAcceptAt, Stopwatch.GetTimestamp());
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            throw;
        }
    }
}
