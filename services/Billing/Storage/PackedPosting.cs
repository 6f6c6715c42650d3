using System.Text;

namespace Marketplace.Billing.Storage;

// A posting in one binary value, as the billing log carries it (field `p`): one argument and one stream
// value where its fields were 38 of each. The subsidy is not in it: ledger.lua decides it, and the line
// has it beside. A leading version byte; strings length-prefixed UTF-8, integers 7-bit varints.
public static class PackedPosting
{
    const byte Version = 1;

    public static byte[] Pack(PostingRecord p)
    {
        using var stream = new MemoryStream(160);
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            foreach (var s in (ReadOnlySpan<string>)[p.Id, p.EventId, p.LeaseId, p.TenantId, p.ProviderId, p.DatacenterId, p.HubId,
                         p.RegionId, p.AcceleratorModel, p.VoucherId, p.ProgramId, p.Currency, p.Kind])
                w.Write(s);
            foreach (var n in (ReadOnlySpan<long>)[p.AmountFen, p.FeeFen, p.AcceleratorSeconds, p.IntervalStartMs, p.PostedMs])
                w.Write7BitEncodedInt64(n);
            w.Write(p.EnergyKwh);
        }
        return stream.ToArray();
    }

    // Throws FormatException for a value that is not a packed posting of a version this code reads.
    public static PostingRecord Unpack(byte[] packed, long subsidyFen)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(packed, writable: false), Encoding.UTF8);
            if (r.ReadByte() != Version)
                throw new FormatException($"a packed posting of version {packed[0]}, not {Version}");
            string id = r.ReadString(), eventId = r.ReadString(), lease = r.ReadString(), tenant = r.ReadString(),
                provider = r.ReadString(), dc = r.ReadString(), hub = r.ReadString(), region = r.ReadString(),
                model = r.ReadString(), voucher = r.ReadString(), program = r.ReadString(), currency = r.ReadString(),
                kind = r.ReadString();
            long amount = r.Read7BitEncodedInt64(), fee = r.Read7BitEncodedInt64(), seconds = r.Read7BitEncodedInt64(),
                start = r.Read7BitEncodedInt64(), at = r.Read7BitEncodedInt64();
            var energy = r.ReadDouble();
            return new PostingRecord(id, eventId, lease, tenant, provider, dc, hub, region, model, voucher, program, currency,
                amount, fee, subsidyFen, seconds, energy, start, at, kind);
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("a packed posting cut short", e);
        }
    }
}
