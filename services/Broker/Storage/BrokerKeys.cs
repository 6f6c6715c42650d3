namespace Marketplace.Broker.Storage;

// Every key the broker writes starts with Tag, a Redis hash tag: an accept's commit (accept.lua) writes the
// quote, the lease, its schedule and its event in the outbox in one script, and a lease's change is one
// transaction with its event, so on Redis Cluster they must share one slot. The broker's state is small
// beside the provider's calendars (one slot per offer) and billing's ledger (its own slot); the tables of
// each store name its keys after the tag.
public static class BrokerKeys
{
    public const string Tag = "broker:{k}";
}
