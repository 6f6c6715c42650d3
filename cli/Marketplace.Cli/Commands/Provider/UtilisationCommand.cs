using System.CommandLine;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Output;
using Marketplace.Cli.Parsing;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Cli.Commands.Provider;

// marketctl utilisation: per offer of one provider, held + leased over published accelerator-hours.
public sealed class UtilisationCommand : MarketCommand
{
    readonly Option<string?> _provider = new("--provider") { Description = "provider id (default: the subject of a provider's token)" };
    readonly Option<string[]> _offers = new("--offer") { Description = "only these offers (repeat); default every live offer of the provider" };
    readonly TimeOption _from = new("--from", "window start (default: each offer's whole availability)");
    readonly TimeOption _to = new("--to", "window end");

    public UtilisationCommand(CliHost host) : base(host, "utilisation", "How much of a provider's offered capacity is taken (provider)")
    {
        Aliases.Add("utilization");
        Add(_provider);
        Add(_offers);
        Add(_from);
        Add(_to);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["offer_id"] = "--offer",
        ["window"] = "--from and --to",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var market = context.Market;
        TimeWindow? window = null;
        if (parse.GetValue(_from) is { } from)
            window = CapacitySurvey.WholeHours(from, parse.GetValue(_to) ?? throw new UsageException("--to is required with --from"));

        IEnumerable<OfferCapacity> offers;
        if (parse.GetValue(_offers) is { Length: > 0 } ids)
            offers = await Task.WhenAll(ids.Select(async id =>
            {
                var offer = await market.Provider.GetOfferAsync(new GetOfferRequest { OfferId = id }, market.Call(ct));
                var site = await market.Provider.GetDataCenterAsync(new GetDataCenterRequest { DatacenterId = offer.DatacenterId }, market.Call(ct));
                return new OfferCapacity { Offer = offer, Datacenter = site };
            }));
        else
        {
            var provider = context.Provider(parse.GetValue(_provider));
            var catalog = await market.Provider.GetCatalogSnapshotAsync(new GetCatalogSnapshotRequest(), market.Call(ct));
            offers = catalog.Offers.Where(o => o.Offer.ProviderId == provider).ToList();
        }

        context.Progress.Report("reading capacity calendars");
        var rows = await CapacitySurvey.MeasureAsync(market, offers, window, ct);
        context.WriteSummary(rows, output => Write(output, rows));
        return ExitCodes.Ok;
    }

    static void Write(TextWriter output, IReadOnlyList<OfferUtilisation> rows)
    {
        var table = new Table("OFFER", "SITE", "HUB", "MODEL", "PUBLISHED ACC-H", "HELD", "LEASED", "UTILISATION");
        foreach (var row in rows)
            table.Add(row.OfferId, row.DatacenterId, row.HubId, row.AcceleratorModel, row.Published, row.Held, row.Leased,
                Cells.Percent(row.Utilisation));
        var total = new OfferUtilisation("total", "", "", "", rows.Sum(r => r.Published), rows.Sum(r => r.Held), rows.Sum(r => r.Leased));
        table.Add(total.OfferId, "", "", "", total.Published, total.Held, total.Leased, Cells.Percent(total.Utilisation));
        table.WriteTo(output);
    }
}
