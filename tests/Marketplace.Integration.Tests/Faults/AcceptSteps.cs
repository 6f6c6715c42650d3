using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Integration.Tests.Provider;
using Marketplace.Provider.V1;

namespace Marketplace.Integration.Tests.Faults;

// One answer to one AcceptQuote call: the lease, or the status the call ended with.
sealed record AcceptAnswer(StatusCode Status, string? LeaseId, TimeSpan? Deadline, TimeSpan At, string Detail)
{
    // What a real client does about it: ask again with the same key.
    public bool ToRetry => Status is StatusCode.DeadlineExceeded or StatusCode.Unavailable or StatusCode.Cancelled;

    public override string ToString() =>
        $"{At.TotalSeconds:0.000} s: {LeaseId ?? $"{Status} ({Detail})"}, " +
        (Deadline is { } d ? $"deadline {d.TotalMilliseconds:0} ms" : "no deadline");
}

// A client in a hurry: a deadline of its own on every call, and on a timeout the same request again.
static class AcceptSteps
{
    // Log-uniform between the bounds: as many calls under 100 ms (which end mid-accept) as over a second.
    public static TimeSpan ClientDeadline(Random random, TimeSpan shortest, TimeSpan longest)
    {
        var (low, high) = (Math.Log(shortest.TotalMilliseconds), Math.Log(longest.TotalMilliseconds));
        return TimeSpan.FromMilliseconds(Math.Exp(low + random.NextDouble() * (high - low)));
    }

    // Asks with a fresh random deadline up to `tries` times while the answer says "retry", then once with
    // none. Every answer goes to `heard`; the last one is returned. `ct` is the test's, not the client's.
    public static async Task<AcceptAnswer> AcceptLikeAnImpatientClientAsync(this BrokerService.BrokerServiceClient broker,
        AcceptQuoteRequest request, Func<TimeSpan> nextDeadline, int tries, Stopwatch clock, Action<AcceptAnswer> heard,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? deadline = attempt <= tries ? nextDeadline() : null;
            var answer = await AcceptOnceAsync(broker, request, deadline, clock, ct);
            heard(answer);
            if (!answer.ToRetry || deadline is null)
                return answer;
        }
    }

    static async Task<AcceptAnswer> AcceptOnceAsync(BrokerService.BrokerServiceClient broker, AcceptQuoteRequest request,
        TimeSpan? deadline, Stopwatch clock, CancellationToken ct)
    {
        try
        {
            var lease = await broker.AcceptQuoteAsync(request, deadline: DateTime.UtcNow + deadline, cancellationToken: ct);
            return new AcceptAnswer(StatusCode.OK, lease.Id, deadline, clock.Elapsed, "");
        }
        catch (RpcException e) when (ct.IsCancellationRequested)
        {
            throw new TimeoutException($"AcceptQuote of quote {request.QuoteId} still had no answer when the test gave up", e);
        }
        catch (RpcException e)
        {
            return new AcceptAnswer(e.StatusCode, null, deadline, clock.Elapsed, e.Status.Detail);
        }
    }

    // The lease, or null when the broker has none of that id.
    public static async Task<Lease?> LeaseOrNullAsync(this BrokerService.BrokerServiceClient broker, string leaseId)
    {
        try
        {
            return await broker.GetLeaseAsync(new GetLeaseRequest { LeaseId = leaseId });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    // Reads every slot of the offers until cancelled and keeps each one seen with more taken than published:
    // the calendar must hold that line at every moment, not only once things settle.
    public static async Task WatchForOversellAsync(this ProviderService.ProviderServiceClient provider,
        IReadOnlyList<Offer> offers, ConcurrentBag<string> oversold, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var offer in offers)
                foreach (var slot in await provider.SlotsAsync(offer))
                    if (slot.Held + slot.Leased > slot.Published)
                        oversold.Add($"{offer.Id} at {slot.Start}: {slot.Held} held + {slot.Leased} leased > {slot.Published}");
            try { await Task.Delay(100, stop); }
            catch (OperationCanceledException) { return; }
        }
    }
}
