using Grpc.Core;
using Marketplace.Broker.Storage;

namespace Marketplace.Broker.Leasing;

// Undoes one accept attempt: first it is made unable to commit, then every hold it recorded as it began
// goes back to the calendar whole, begun hours included (no lease was made of them), and only then is the
// accept forgotten. A hold not taken yet is given back all the same: the provider then refuses the
// attempt's request for it, should that still arrive. A release that fails leaves the accept undone, for
// the next recovery pass or retry.
public sealed class AcceptUndo(AcceptStore accepts, ProviderHolds holds, ILogger<AcceptUndo> logger)
{
    // True when the attempt is undone and every hold it had is back; false when it was not its accept to
    // undo (it committed, or someone else undid it) or a release must be tried again later. Unless told
    // to keep it (to record a refusal), the accept is then forgotten: the quote can be accepted afresh.
    public async Task<bool> UndoAsync(string quoteId, string idempotencyKey, string attempt,
        IEnumerable<string>? alsoTaken = null, bool keep = false)
    {
        var recorded = await accepts.UndoAsync(quoteId, attempt, Now());
        // Holds an attempt took itself are its own to give back either way: it never committed.
        var all = (recorded ?? []).Concat(alsoTaken ?? []).Distinct().ToList();
        var released = true;
        foreach (var holdId in all)
        {
            try
            {
                await holds.DiscardAsync(holdId);
            }
            catch (RpcException ex)
            {
                released = false;
                logger.LogWarning("Could not release hold {HoldId} of an undone accept: {Status}", holdId, ex.Status.Detail);
            }
        }
        if (recorded is null || !released)
            return false;
        if (!keep)
            await accepts.ForgetAsync(quoteId, idempotencyKey, attempt, Now());
        return true;
    }

    static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
