using System.Threading.Channels;
using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;

namespace Marketplace.Billing.Ledger;

// The live watchers of this process and what the log reader (one per shard) hands them. Each watcher has
// a bounded channel; the reader never waits for one. A watcher whose channel is full is let go (its channel is
// completed after what it holds) and catches up from its own cursor, so a slow watcher neither slows the
// others nor holds more than its channel's worth of events.
public sealed class BillingLogFanOut(BillingOptions options, LedgerShards shards)
{
    readonly Lock _gate = new(), _publishing = new();
    Subscription[] _live = [];

    // Where the readers are, together: what every event handed out is stamped with as its cursor.
    LogPosition _handedOut = LogPosition.Start(shards.Count);

    public int Watchers => Volatile.Read(ref _live).Length;

    // The most events any live watcher holds unread: never more than its channel's capacity.
    public int MostBuffered => Volatile.Read(ref _live).Select(s => s.Buffered).DefaultIfEmpty().Max();

    // How many watchers were let go for falling behind, since the process started.
    public long FellBehind => Interlocked.Read(ref _fellBehind);
    long _fellBehind;

    // From now on the watcher gets every event the reader hands out that its request matches.
    public Subscription Join(WatchBillingEventsRequest request)
    {
        var subscription = new Subscription(this, request, options.WatchChannelCapacity);
        lock (_gate)
            _live = [.. _live, subscription];
        return subscription;
    }

    // A shard's reader starts following its log after `tail`.
    public void Begin(int shard, string tail)
    {
        lock (_publishing)
            _handedOut = _handedOut.With(shard, tail);
    }

    // Called by the readers only, each with its shard's lines in log order; the readers take turns.
    public void Publish(IReadOnlyList<BillingLogEvents.LogEvent> events)
    {
        lock (_publishing)
        {
            foreach (var e in events)
            {
                _handedOut = _handedOut.With(e.Line.Shard, e.Line.Cursor);
                e.Event.Cursor = _handedOut.ToString();
            }
            foreach (var subscription in Volatile.Read(ref _live))
                foreach (var e in events)
                    if (BillingLogEvents.Matches(subscription.Request, e.Line) && !subscription.Offer(e))
                    {
                        Interlocked.Increment(ref _fellBehind);
                        break;
                    }
        }
    }

    void Leave(Subscription subscription)
    {
        lock (_gate)
            _live = _live.Where(s => s != subscription).ToArray();
    }

    public sealed class Subscription : IDisposable
    {
        readonly BillingLogFanOut _fanOut;
        readonly Channel<BillingLogEvents.LogEvent> _channel;
        volatile bool _left;

        internal Subscription(BillingLogFanOut fanOut, WatchBillingEventsRequest request, int capacity)
        {
            _fanOut = fanOut;
            Request = request;
            _channel = Channel.CreateBounded<BillingLogEvents.LogEvent>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
            });
        }

        public WatchBillingEventsRequest Request { get; }

        // The events, each shard's in log order; it ends when the watcher fell behind (or left).
        public ChannelReader<BillingLogEvents.LogEvent> Events => _channel.Reader;

        public int Buffered => _channel.Reader.Count;

        // False when the channel is full: the watcher is let go and its channel ends after what it holds.
        internal bool Offer(BillingLogEvents.LogEvent e)
        {
            if (_left || _channel.Writer.TryWrite(e))
                return true;
            Dispose();
            return false;
        }

        public void Dispose()
        {
            _left = true;
            _fanOut.Leave(this);
            _channel.Writer.TryComplete();
        }
    }
}
