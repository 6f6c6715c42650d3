using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Parsing;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Time;

namespace Marketplace.Cli.Commands.Provider;

// marketctl offer publish: accelerators per hourly slot at a price, over a window of whole hours.
public sealed class OfferPublishCommand : MarketCommand
{
    readonly Option<string> _datacenter = new("--dc") { Description = "the provider's data center", Required = true };
    readonly Option<string> _model = new("--model", "-m") { Description = "accelerator model, e.g. H20", Required = true };
    readonly Option<int> _count = new("--count") { Description = "accelerators per hourly slot", Required = true };
    readonly Option<decimal> _price = new("--price") { Description = "price per accelerator-hour", Required = true };
    readonly Option<decimal?> _reserve = new("--reserve") { Description = "the least taken in the exchange's auction for idle hours, at most --price (default: --price)" };
    readonly Option<string> _currency = new("--currency") { Description = "currency of --price and --reserve", DefaultValueFactory = _ => "CNY" };
    readonly TimeOption _start = new("--start", "first hour on sale, rounded up to a whole hour (default the next whole hour)");
    readonly DurationOption _for = new("--for", "how long it is on sale, whole hours", TimeSpan.FromDays(30));
    readonly Option<int> _minHours = new("--min-hours") { Description = "shortest lease, hours", DefaultValueFactory = _ => 1 };
    readonly Option<string?> _domain = new("--domain") { Description = "interconnect domain (default <dc>/pod-a)" };
    readonly Option<bool> _interruptible = new("--interruptible") { Description = "capacity that may be taken back (cheaper; never for training)" };
    readonly Option<int> _slaCredit = new("--sla-credit") { Description = "percent of an hour's charge credited to the tenant for each hour an outage takes (0-100)" };
    readonly Option<string?> _id = new("--id") { Description = "offer id (default generated)" };
    readonly Option<string?> _key = new("--key") { Description = "idempotency key (default: derived from the offer, so re-running is safe)" };

    public OfferPublishCommand(CliHost host) : base(host, "publish", "Publish an offer of accelerator-hours (provider)")
    {
        foreach (var option in new Option[] { _datacenter, _model, _count, _price, _reserve, _currency, _start, _for, _minHours, _domain,
                     _interruptible, _slaCredit, _id, _key })
            Add(option);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["offer.id"] = "--id",
        ["offer.datacenter_id"] = "--dc",
        ["offer.accelerator_model"] = "--model",
        ["offer.count"] = "--count",
        ["offer.price_per_hour"] = "--price",
        ["offer.reserve_price_per_hour"] = "--reserve",
        ["offer.availability"] = "--start and --for",
        ["offer.min_lease_hours"] = "--min-hours",
        ["offer.interconnect_domain"] = "--domain",
        ["offer.sla_credit_percent"] = "--sla-credit",
        ["idempotency_key"] = "--key",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var datacenter = parse.GetValue(_datacenter)!;
        // Capacity is sold by whole hours: `--start +1h` means the whole hour at or after it.
        var start = WholeHours.Ceiling(parse.GetValue(_start) ?? DateTimeOffset.UtcNow);
        var draft = new Offer
        {
            Id = parse.GetValue(_id) ?? "",
            DatacenterId = datacenter,
            AcceleratorModel = parse.GetValue(_model)!,
            Count = parse.GetValue(_count),
            PricePerHour = Money.FromDecimal(parse.GetValue(_price), parse.GetValue(_currency)!),
            ReservePricePerHour = parse.GetValue(_reserve) is { } reserve ? Money.FromDecimal(reserve, parse.GetValue(_currency)!) : null,
            Availability = new TimeWindow
            {
                Start = Timestamp.FromDateTimeOffset(start),
                End = Timestamp.FromDateTimeOffset(start + _for.ValueIn(parse)),
            },
            MinLeaseHours = parse.GetValue(_minHours),
            InterconnectDomain = parse.GetValue(_domain) ?? $"{datacenter}/pod-a",
            Interruptible = parse.GetValue(_interruptible),
            SlaCreditPercent = parse.GetValue(_slaCredit),
        };
        var offer = await context.Market.Provider.PublishOfferAsync(new PublishOfferRequest
        {
            Offer = draft,
            IdempotencyKey = parse.GetValue(_key) ?? KeyOf(draft),
        }, context.Market.Call(ct));
        context.Write(offer, output => OfferTable.Write(output, offer));
        return ExitCodes.Ok;
    }

    // The same offer typed twice is published once; a different one gets a different key.
    static string KeyOf(Offer draft) =>
        "marketctl-" + Convert.ToHexStringLower(SHA256.HashData(draft.ToByteArray()))[..32];
}
