using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Broker.Leasing;

// The provider's hold API as the broker uses it: every call with a deadline of its own.
public sealed class ProviderHolds(ProviderService.ProviderServiceClient provider, BrokerOptions options)
{
    public async Task<Hold> HoldAsync(Placement placement, string idempotencyKey, CancellationToken ct) =>
        await provider.HoldCapacityAsync(new HoldCapacityRequest
        {
            OfferId = placement.OfferId,
            Units = placement.Units,
            Window = placement.Window,
            Ttl = Duration.FromTimeSpan(options.HoldTtl),
            IdempotencyKey = idempotencyKey,
        }, deadline: Deadline(), cancellationToken: ct);

    public async Task<Hold> ConfirmAsync(string holdId, string leaseId, CancellationToken ct) =>
        await provider.ConfirmHoldAsync(new ConfirmHoldRequest { HoldId = holdId, LeaseId = leaseId },
            deadline: Deadline(), cancellationToken: ct);

    // A lease ending early: the hours begun (and, with `keepBefore`, those before then) stay; the rest go back.
    public async Task<Hold> ReleaseAsync(string holdId, CancellationToken ct, DateTimeOffset? keepBefore = null) =>
        await provider.ReleaseHoldAsync(new ReleaseHoldRequest
            {
                HoldId = holdId,
                From = keepBefore is { } t ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(t) : null,
            },
            deadline: Deadline(), cancellationToken: ct);

    // The hold an idempotency key made, if the provider applied it: the same request again returns it
    // rather than taking more. Null when the provider cannot say now (its TTL gives it back then).
    public async Task<Hold?> TryFindAsync(Placement placement, string idempotencyKey)
    {
        try
        {
            return await HoldAsync(placement, idempotencyKey, CancellationToken.None);
        }
        catch (RpcException)
        {
            return null;
        }
    }

    // Gives back a hold that never became a lease: every hour not yet metered, begun or not.
    public async Task<Hold> DiscardAsync(string holdId) =>
        await provider.ReleaseHoldAsync(new ReleaseHoldRequest { HoldId = holdId, Discard = true },
            deadline: Deadline(), cancellationToken: CancellationToken.None);

    DateTime Deadline() => DateTime.UtcNow + options.ProviderDeadline;
}
