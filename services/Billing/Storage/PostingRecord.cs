using System.Globalization;
using StackExchange.Redis;

namespace Marketplace.Billing.Storage;

// One posting as the ledger keeps it: an hour of usage, or an SLA credit for an hour an outage took (a
// negative amount, from the provider to the tenant). Amounts in fen; times in Unix milliseconds.
public sealed record PostingRecord(
    string Id, string EventId, string LeaseId, string TenantId, string ProviderId, string DatacenterId, string HubId,
    string RegionId, string AcceleratorModel, string VoucherId, string ProgramId, string Currency,
    long AmountFen, long FeeFen, long SubsidyFen, long AcceleratorSeconds, double EnergyKwh,
    long IntervalStartMs, long PostedMs, string Kind = PostingRecord.Usage)
{
    public const string Usage = "usage", Credit = "credit";

    public long TenantDueFen => AmountFen - SubsidyFen;

    public HashEntry[] ToFields() =>
    [
        new("id", Id), new("event", EventId), new("lease", LeaseId), new("tenant", TenantId),
        new("provider", ProviderId), new("dc", DatacenterId), new("hub", HubId), new("region", RegionId),
        new("model", AcceleratorModel), new("voucher", VoucherId), new("program", ProgramId),
        new("currency", Currency), new("amount", AmountFen), new("fee", FeeFen),
        new("seconds", AcceleratorSeconds), new("energy", EnergyKwh.ToString("R", CultureInfo.InvariantCulture)),
        new("start", IntervalStartMs), new("at", PostedMs), new("kind", Kind),
    ];

    public static PostingRecord FromFields(HashEntry[] entries) =>
        FromFields(entries.ToDictionary(e => (string)e.Name!, e => (string)e.Value!));

    // From a billing log line, which carries the posting's fields beside its pid and routing fields; a name
    // the line has twice (tenant, provider, hub are both) counts once: the first.
    public static PostingRecord FromFields(NameValueEntry[] entries)
    {
        var fields = new Dictionary<string, string>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
            fields.TryAdd((string)entry.Name!, (string)entry.Value!);
        return FromFields(fields);
    }

    static PostingRecord FromFields(Dictionary<string, string> f)
    {
        return new PostingRecord(f["id"], f["event"], f["lease"], f["tenant"], f["provider"], f["dc"], f["hub"],
            f["region"], f["model"], f["voucher"], f["program"], f["currency"], Long(f["amount"]), Long(f["fee"]),
            Long(f["subsidy"]), Long(f["seconds"]), double.Parse(f["energy"], CultureInfo.InvariantCulture),
            Long(f["start"]), Long(f["at"]), f.GetValueOrDefault("kind", Usage)); // postings from before kinds: usage
    }

    static long Long(string s) => long.Parse(s, CultureInfo.InvariantCulture);
}
