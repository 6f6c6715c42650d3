using Marketplace.Broker.V1;

namespace Marketplace.Cli.Demo;

// One small company's bid in the demo's call auction: what for, the most it pays per accelerator-hour, and
// whether it may be filled in part.
public sealed record SmeBid(string Tenant, string Story, decimal Limit, bool Divisible, Action<QuoteRequest> Describe);
