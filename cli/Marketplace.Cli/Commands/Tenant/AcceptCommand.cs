using System.CommandLine;
using Marketplace.Broker.V1;
using Marketplace.Cli.Invocation;

namespace Marketplace.Cli.Commands.Tenant;

// marketctl accept: turn a quote into a lease. Running it again returns the same lease.
public sealed class AcceptCommand : MarketCommand
{
    readonly Argument<string> _quote = new("quote-id") { Description = "the quote to accept (from marketctl quote)" };
    readonly Option<string?> _key = new("--key") { Description = "idempotency key (default: derived from the quote id, so a retry is safe)" };

    public AcceptCommand(CliHost host) : base(host, "accept", "Accept a quote: hold and confirm its capacity as a lease (tenant)")
    {
        Add(_quote);
        Add(_key);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["quote_id"] = "<quote-id>",
        ["idempotency_key"] = "--key",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var quoteId = parse.GetValue(_quote)!;
        var lease = await context.Market.Broker.AcceptQuoteAsync(new AcceptQuoteRequest
        {
            QuoteId = quoteId,
            IdempotencyKey = parse.GetValue(_key) ?? $"accept-{quoteId}",
        }, context.Market.Call(ct));
        context.Write(lease, output => LeaseTable.Write(output, [lease]));
        return ExitCodes.Ok;
    }
}
