using System.Security.Cryptography;
using System.Text;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Provider.Domain;

// A hold id names its offer ("<offer id>~<random>") so a hold is found from its id alone.
public static class HoldIds
{
    const char Separator = '~';

    public static string New(string offerId) => $"{offerId}{Separator}{Guid.NewGuid():N}";

    public static string OfferOf(string holdId, string field = "hold_id")
    {
        var at = holdId.LastIndexOf(Separator);
        if (at <= 0 || at == holdId.Length - 1)
            throw new InvalidFieldException(field, $"'{holdId}' is not a hold id");
        return holdId[..at];
    }

    // What makes two hold requests "the same" for an idempotency key.
    public static string Fingerprint(string offerId, int units, long first, long last, TimeSpan ttl) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{offerId}|{units}|{first}|{last}|{ttl.Ticks}")))[..32];
}
