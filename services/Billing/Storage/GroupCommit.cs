using System.Collections.Concurrent;

namespace Marketplace.Billing.Storage;

// Items from many concurrent callers, written a batch at a time: a caller that finds a free slot (fewer
// than `flushes` batches in flight) takes what is queued, up to `size`, and writes it for everyone. Under
// load batches fill while others are in flight; alone, an item goes at once. Each caller's task ends when
// its own item is written, or fails with the batch.
sealed class GroupCommit<TItem, TResult>(int size, int flushes, Func<IReadOnlyList<TItem>, Task<TResult[]>> write)
{
    readonly ConcurrentQueue<Pending> _queue = new();
    readonly SemaphoreSlim _slots = new(flushes, flushes);

    sealed class Pending(TItem item) : TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public TItem Item { get; } = item;
    }

    public async Task<TResult> SubmitAsync(TItem item, CancellationToken ct)
    {
        var pending = new Pending(item);
        _queue.Enqueue(pending);
        await FlushAsync(pending.Task);
        return await pending.Task.WaitAsync(ct);
    }

    // Writes batches until the caller's own item is written; what is queued after that is handed to a
    // background flush, so no caller waits on others' batches for long. A caller that finds every slot
    // taken leaves its item to the holders: each looks at the queue again after releasing its slot.
    async Task FlushAsync(Task own)
    {
        while (!_queue.IsEmpty && _slots.Wait(0))
        {
            var batch = new List<Pending>(size);
            try
            {
                while (batch.Count < size && _queue.TryDequeue(out var next))
                    batch.Add(next);
                if (batch.Count == 0)
                    continue;
                var results = await write(batch.ConvertAll(p => p.Item));
                for (var i = 0; i < batch.Count; i++)
                    batch[i].TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var pending in batch)
                    pending.TrySetException(e);
            }
            finally
            {
                _slots.Release();
            }
            if (own.IsCompleted)
            {
                if (!_queue.IsEmpty)
                    _ = Task.Run(() => FlushAsync(Task.CompletedTask));
                return;
            }
        }
    }
}
