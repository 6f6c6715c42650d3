namespace Marketplace.Console.Tenant;

// A site a quote might have chosen and did not, e.g. "RTT 24.4 ms > limit 10 ms".
public sealed record ExclusionView(string DatacenterId, string Reason, long WouldCostFen);
