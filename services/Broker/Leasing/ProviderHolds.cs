using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Broker.Leasing;

// The provider's hold API as the broker uses it: every call with a deadline of its own.
public sealed class ProviderHolds(ProviderService.ProviderServiceClient provider, BrokerOptions options)
{
    // The id the provider gives the hold an idempotency key makes (HoldCapacityRequest's contract), known
    // before the hold is asked for, so an accept records its holds when it begins.
    public static string IdFor(string offerId, string idempotencyKey) =>
        $"{offerId}~{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32]}";

    // `leaseId`: the hold is confirmed into that lease in the same step, never merely held.
    public async Task<Hold> HoldAsync(Placement placement, string idempotencyKey, string leaseId, CancellationToken ct) =>
        await provider.HoldCapacityAsync(new HoldCapacityRequest
        {
            OfferId = placement.OfferId,
            Units = placement.Units,
            Window = placement.Window,
            Ttl = Duration.FromTimeSpan(options.HoldTtl),
            IdempotencyKey = idempotencyKey,
            LeaseId = leaseId,
        }, deadline: Deadline(), cancellationToken: ct);

    // A lease ending early: the hours begun (and, with `keepBefore`, those before then) stay; the rest go back.
    public async Task<Hold> ReleaseAsync(string holdId, CancellationToken ct, DateTimeOffset? keepBefore = null) =>
        await provider.ReleaseHoldAsync(new ReleaseHoldRequest
            {
                HoldId = holdId,
                From = keepBefore is { } t ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(t) : null,
            },
            deadline: Deadline(), cancellationToken: ct);

    // Gives back a hold that never became a lease: every hour not yet metered, begun or not. A hold not
    // taken (yet) is given back too: its request, if still on its way, can no longer take it.
    public async Task<Hold> DiscardAsync(string holdId) =>
        await provider.ReleaseHoldAsync(new ReleaseHoldRequest { HoldId = holdId, Discard = true },
            deadline: Deadline(), cancellationToken: CancellationToken.None);

    DateTime Deadline() => DateTime.UtcNow + options.ProviderDeadline;
}
