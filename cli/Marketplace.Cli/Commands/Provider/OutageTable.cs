using Marketplace.Cli.Output;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Commands.Provider;

// Outages for people: where, since when, until when, and why.
public static class OutageTable
{
    public static void Write(TextWriter output, IEnumerable<Outage> outages)
    {
        var table = new Table("OUTAGE", "SITE", "OFFERS", "START", "EXPECTED END", "ENDED", "REASON");
        foreach (var o in outages)
            table.Add(o.Id, o.DatacenterId, o.OfferId.Length > 0 ? o.OfferId : $"all ({o.OfferIds.Count})", Cells.Time(o.Start),
                o.ExpectedEnd is null ? "-" : Cells.Time(o.ExpectedEnd), o.EndedAt is null ? "ongoing" : Cells.Time(o.EndedAt), o.Reason);
        table.WriteTo(output);
    }
}
