using Marketplace.Common.V1;

namespace Marketplace.Console;

// Money as the pages get it: whole fen, integers that stay exact in JavaScript. The ledger and the
// auction's prices are whole fen already; a quote's transfer or latency penalty is rounded to the fen.
static class WholeFen
{
    public static long Of(Money? money) => money is null ? 0 : Marketplace.Pricing.Fen.Round(money.ToDecimal());
}
