using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Demo;

// Quote, then accept the cheapest option at once. A quote that expired or whose capacity moved in
// between (FAILED_PRECONDITION) is simply asked for again.
public static class Booking
{
    const int Attempts = 3;

    public static async Task BookAsync(JobRun run, Progress progress, CancellationToken ct)
    {
        var market = run.Tenant;
        for (var attempt = 1; ; attempt++)
        {
            run.Reply = await market.Broker.RequestQuoteAsync(run.Request, market.Call(ct));
            run.Chosen = run.Reply.Options[0];
            try
            {
                run.Lease = await market.Broker.AcceptQuoteAsync(new AcceptQuoteRequest
                {
                    QuoteId = run.Chosen.Id,
                    IdempotencyKey = $"demo-{run.Chosen.Id}",
                }, market.Call(ct));
                return;
            }
            catch (RpcException moved) when (moved.StatusCode == StatusCode.FailedPrecondition && attempt < Attempts)
            {
                progress.Report($"{run.Job.Tenant}: {moved.Status.Detail}; asking again");
            }
        }
    }
}
