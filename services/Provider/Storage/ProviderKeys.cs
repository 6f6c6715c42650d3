using StackExchange.Redis;

namespace Marketplace.Provider.Storage;

// The provider's Redis keys, all built here. Values are protobuf bytes of the contract's messages.
//
//   provider:dc:{id}                string  DataCenter
//   provider:dcs                    set     data-center ids
//   provider:{o:ID}:offer           string  Offer; every key of one offer shares the {o:ID} hash tag
//   provider:{o:ID}:published|held|leased|holds|expiry|idem|version|metering|meta|free   the capacity calendar (calendar.lua)
//   provider:offers                 set     offer ids
//   provider:idem:publish:{key}     string  offer id a PublishOffer idempotency key created
//   provider:outage:{id}            string  Outage
//   provider:outages:dc:{id}        zset    a data center's outage ids by start (ms)
//   provider:outages:unannounced    set     outage ids whose OutageStarted/OutageEnded is not yet on the bus
//   provider:idem:outage:{key}      string  outage id a ReportOutage idempotency key created
static class ProviderKeys
{
    public const string DataCenters = "provider:dcs";
    public const string Offers = "provider:offers";

    public static string DataCenter(string id) => $"provider:dc:{id}";

    public static string OfferTag(string offerId) => $"provider:{{o:{offerId}}}";

    public static string Offer(string offerId) => $"{OfferTag(offerId)}:offer";

    // In the order calendar.lua expects them.
    public static RedisKey[] Calendar(string offerId)
    {
        var tag = OfferTag(offerId);
        return
        [
            $"{tag}:published", $"{tag}:held", $"{tag}:leased", $"{tag}:holds",
            $"{tag}:expiry", $"{tag}:idem", $"{tag}:version", Offer(offerId), $"{tag}:metering", $"{tag}:meta",
            $"{tag}:free",
        ];
    }

    public static string PublishIdempotency(string key) => $"provider:idem:publish:{key}";

    public const string UnannouncedOutages = "provider:outages:unannounced";

    public static string Outage(string id) => $"provider:outage:{id}";

    public static string DataCenterOutages(string datacenterId) => $"provider:outages:dc:{datacenterId}";

    public static string OutageIdempotency(string key) => $"provider:idem:outage:{key}";
}
