using System.Security.Cryptography;
using System.Text;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Provider.Domain;

// A hold id names its offer ("<offer id>~<random>", or "<offer id>~<hash of its idempotency key>") so a
// hold is found from its id alone, and a caller with a key knows the id before asking.
public static class HoldIds
{
    const char Separator = '~';

    public static string New(string offerId) => $"{offerId}{Separator}{Guid.NewGuid():N}";

    // The id of the hold an idempotency key makes (the contract in HoldCapacityRequest).
    public static string For(string offerId, string idempotencyKey) =>
        $"{offerId}{Separator}{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32]}";

    public static string OfferOf(string holdId, string field = "hold_id")
    {
        var at = holdId.LastIndexOf(Separator);
        if (at <= 0 || at == holdId.Length - 1)
            throw new InvalidFieldException(field, $"'{holdId}' is not a hold id");
        return holdId[..at];
    }

    // What makes two hold requests "the same" for an idempotency key.
    // A lease to confirm into is part of it (left out when none, so older holds keep their fingerprint).
    public static string Fingerprint(string offerId, int units, long first, long last, TimeSpan ttl, string leaseId = "") =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{offerId}|{units}|{first}|{last}|{ttl.Ticks}{(leaseId.Length == 0 ? "" : "|" + leaseId)}")))[..32];
}
