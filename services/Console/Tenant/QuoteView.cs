using Marketplace.Broker.V1;

namespace Marketplace.Console.Tenant;

// A quote's answer: the options, cheapest first, and the cheaper sites left out and why.
public sealed record QuoteView(IReadOnlyList<QuoteOptionView> Options, IReadOnlyList<ExclusionView> Exclusions)
{
    public static QuoteView From(QuoteResponse response) => new(
        response.Options.Select(QuoteOptionView.From).ToList(),
        response.Exclusions.Select(e => new ExclusionView(e.DatacenterId, e.Reason, WholeFen.Of(e.WouldCost))).ToList());
}
