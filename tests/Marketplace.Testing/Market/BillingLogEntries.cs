using System.Globalization;
using Marketplace.Billing.Storage;
using StackExchange.Redis;

namespace Marketplace.Testing.Market;

// Writes postings straight onto billing's event log, as ledger.lua wrote them before it packed the posting:
// pid, tenant, provider, hub, then every field of the posting (PostingRecord.ToFields, plus subsidy). No
// ledger, balance or posting hash is touched: a watcher must build the event from the entry alone.
public sealed class BillingLogEntries(IDatabase redis)
{
    public static readonly RedisKey Log = "billing:{b}:log";

    // One posting each, in order, pipelined; their cursors (stream ids). `tag` names them: "<tag>:<n>".
    public async Task<IReadOnlyList<string>> AppendAsync(string tenant, string tag, int from, int count)
    {
        var batch = redis.CreateBatch();
        var adds = Enumerable.Range(from, count).Select(n => batch.StreamAddAsync(Log, Entry(Posting(tenant, $"{tag}:{n}")))).ToList();
        batch.Execute();
        return (await Task.WhenAll(adds)).Select(id => (string)id!).ToList();
    }

    public static NameValueEntry[] Entry(PostingRecord posting) =>
    [
        new("pid", posting.Id), new("tenant", posting.TenantId), new("provider", posting.ProviderId), new("hub", posting.HubId),
        .. posting.ToFields().Select(f => new NameValueEntry(f.Name, f.Value)),
        new("subsidy", posting.SubsidyFen.ToString(CultureInfo.InvariantCulture)),
    ];

    public static PostingRecord Posting(string tenant, string eventId) => new(
        Id: $"posting-{eventId}", EventId: eventId, LeaseId: $"lease-{tenant}", TenantId: tenant, ProviderId: "provider-log",
        DatacenterId: "dc-log", HubId: "hub-log", RegionId: "region-log", AcceleratorModel: "H20", VoucherId: "", ProgramId: "",
        Currency: "CNY", AmountFen: 1200, FeeFen: 120, SubsidyFen: 0, AcceleratorSeconds: 7200, EnergyKwh: 0.96,
        IntervalStartMs: 1_900_000_000_000, PostedMs: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
