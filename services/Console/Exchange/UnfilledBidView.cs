namespace Marketplace.Console.Exchange;

// A bid an auction did not fill: its state after it and the broker's reason ("outbid: ...").
public sealed record UnfilledBidView(string BidId, string State, string Outcome);
