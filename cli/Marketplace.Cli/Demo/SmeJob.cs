using Marketplace.Broker.V1;

namespace Marketplace.Cli.Demo;

// One small company's job in the demo day: who asks, what for, and where "home" is for the
// nearest-site comparison.
public sealed record SmeJob(string Tenant, string Story, string HomeRegion, string HomeHub, bool UsesVoucher,
    Action<QuoteRequest> Describe);
