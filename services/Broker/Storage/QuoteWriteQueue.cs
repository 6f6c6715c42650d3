using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Marketplace.Broker.Storage;

// Quote writes handed to Redis together: each write handed to the connection on its own costs a write
// lock, a flush and a wake-up of the connection's writer thread, more than building the quote's reply.
// Writes queue here; one flush at a time, on the thread pool, hands every queued one to the connection
// in one batch. A reader of a quote first waits until its write is handed over (Handed), so, Redis
// running one connection's commands in order, it finds the quote as if the write had gone at once.
sealed class QuoteWriteQueue(IConnectionMultiplexer redis)
{
    readonly ConcurrentQueue<Write> _queue = new();
    readonly ConcurrentDictionary<string, Write> _unhanded = new(StringComparer.Ordinal);
    int _flushing;

    sealed class Write(string key, HashEntry[] fields, TimeSpan expiry)
    {
        public string Key => key;
        public HashEntry[] Fields => fields;
        public TimeSpan Expiry => expiry;
        // Its continuations only await further (the write's replies, a reader's read): run inline, no thread hop.
        public readonly TaskCompletionSource<Task> Handed = new();
    }

    // Ends once Redis has the hash and its expiry, or fails as the write failed.
    public async Task WriteAsync(string key, HashEntry[] fields, TimeSpan expiry)
    {
        var write = new Write(key, fields, expiry);
        _unhanded[key] = write;
        _queue.Enqueue(write);
        if (Interlocked.CompareExchange(ref _flushing, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static queue => queue.Flush(), this, preferLocal: false);
        await await write.Handed.Task;
    }

    // Waits until the write of `key`, if one is queued, is on the connection.
    public Task HandedAsync(string key) => _unhanded.TryGetValue(key, out var write) ? write.Handed.Task : Task.CompletedTask;

    void Flush()
    {
        while (true)
        {
            var writes = new List<Write>();
            try
            {
                var batch = redis.GetDatabase().CreateBatch();
                var done = new List<Task>();
                while (_queue.TryDequeue(out var write))
                {
                    writes.Add(write);
                    done.Add(Task.WhenAll(batch.HashSetAsync(write.Key, write.Fields), batch.KeyExpireAsync(write.Key, write.Expiry)));
                }
                if (writes.Count > 0)
                    batch.Execute();
                for (var i = 0; i < writes.Count; i++)
                    Handed(writes[i], done[i]);
            }
            catch (Exception ex)
            {
                foreach (var write in writes)
                    Handed(write, Task.FromException(ex));
            }
            Volatile.Write(ref _flushing, 0);
            // A write queued after the last look but before the flag was cleared found a flush running.
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _flushing, 1, 0) != 0)
                return;
        }
    }

    void Handed(Write write, Task written)
    {
        _unhanded.TryRemove(new KeyValuePair<string, Write>(write.Key, write));
        write.Handed.TrySetResult(written);
    }
}
