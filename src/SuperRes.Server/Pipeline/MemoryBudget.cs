using Microsoft.Extensions.Options;
using SuperRes.Imaging;
using SuperRes.Server.Observability;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Pipeline;

/// <summary>
/// Admission by memory rather than by count alone: every image reserves its <see cref="PipelineMemory"/>
/// estimate before it is decoded and returns it when done. An image that could never fit is refused (422);
/// a synchronous request that does not fit now is told to retry (429); a job waits its turn.
/// </summary>
public sealed class MemoryBudget
{
    private readonly Lock sync = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource<Lease> Waiter)> waiters = new();
    private readonly ServerMetrics metrics;
    private long used;

    public MemoryBudget(IOptions<ServerOptions> options, ServerMetrics metrics)
    {
        this.metrics = metrics;
        long configured = options.Value.Limits.MemoryBudgetBytes;
        // Default: 60 % of what the runtime may use (the machine's memory, or the container's limit).
        Capacity = configured > 0 ? configured : (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.6);
        metrics.Observe("memory_budget_bytes", "Bytes the images in progress may reserve in all.", () => Capacity);
        metrics.Observe("memory_reserved_bytes", "Bytes reserved by images in progress (their estimated peak).", () => InUse);
    }

    public long Capacity { get; }

    public long InUse
    {
        get
        {
            lock (sync)
            {
                return used;
            }
        }
    }

    /// <summary>Throws 422 for an image that needs more than the whole budget.</summary>
    public void EnsureFits(long bytes)
    {
        if (bytes > Capacity)
        {
            throw new InvalidImageException(
                $"Upscaling this image needs about {bytes / 1048576} MB, more than this server's memory budget of {Capacity / 1048576} MB; send a smaller image or a lower scale.",
                InvalidImageReason.TooLarge);
        }
    }

    /// <summary>Reserves now or throws <see cref="QueueFullException"/> (429).</summary>
    public Lease Reserve(long bytes)
    {
        EnsureFits(bytes);
        lock (sync)
        {
            if (waiters.Count == 0 && used + bytes <= Capacity)
            {
                return Take(bytes);
            }
        }
        metrics.Rejected("memory_budget");
        throw new QueueFullException("The server's memory budget is taken by images in progress; retry shortly or use the job API.", TimeSpan.FromSeconds(2));
    }

    /// <summary>Waits, first come first served, until the bytes are free.</summary>
    public async Task<Lease> ReserveAsync(long bytes, CancellationToken ct)
    {
        EnsureFits(bytes);
        LinkedListNode<(long, TaskCompletionSource<Lease>)> node;
        lock (sync)
        {
            if (waiters.Count == 0 && used + bytes <= Capacity)
            {
                return Take(bytes);
            }
            node = waiters.AddLast((bytes, new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously)));
        }
        try
        {
            return await node.Value.Item2.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (sync)
            {
                if (node.List is not null)
                {
                    waiters.Remove(node);
                }
            }
            // Granted in the meantime: hand it back.
            if (node.Value.Item2.Task.IsCompletedSuccessfully)
            {
                node.Value.Item2.Task.Result.Dispose();
            }
            GrantWaiting();
            throw;
        }
    }

    private Lease Take(long bytes)
    {
        used += bytes;
        return new Lease(this, bytes);
    }

    private void Return(long bytes)
    {
        lock (sync)
        {
            used -= bytes;
        }
        GrantWaiting();
    }

    private void GrantWaiting()
    {
        var granted = new List<(TaskCompletionSource<Lease>, Lease)>();
        lock (sync)
        {
            while (waiters.First is { } first && used + first.Value.Bytes <= Capacity)
            {
                waiters.RemoveFirst();
                granted.Add((first.Value.Waiter, Take(first.Value.Bytes)));
            }
        }
        foreach (var (waiter, lease) in granted)
        {
            if (!waiter.TrySetResult(lease))
            {
                lease.Dispose();
            }
        }
    }

    /// <summary>Bytes held until disposed (once).</summary>
    public sealed class Lease(MemoryBudget budget, long bytes) : IDisposable
    {
        private int returned;

        public long Bytes => bytes;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref returned, 1) == 0)
            {
                budget.Return(bytes);
            }
        }
    }
}
