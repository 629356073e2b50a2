using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SuperRes.Server.Observability;

namespace SuperRes.Server.Jobs;

/// <summary>All jobs by id, and the bounded queue of those waiting to run.</summary>
public sealed class JobStore
{
    private readonly ConcurrentDictionary<string, Job> jobs = new(StringComparer.Ordinal);
    private readonly Channel<Job> queue;
    private readonly TimeProvider clock;
    private readonly ServerOptions options;
    private int queued;

    public JobStore(IOptions<ServerOptions> options, TimeProvider clock)
    {
        this.options = options.Value;
        this.clock = clock;
        queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(Math.Max(1, this.options.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
        });
    }

    public int QueueDepth => Volatile.Read(ref queued);

    public ChannelReader<Job> Reader => queue.Reader;

    public Job Submit(Job job)
    {
        if (!queue.Writer.TryWrite(job))
        {
            ServerMetrics.Rejected.WithLabels("queue_full").Inc();
            throw new QueueFullException($"The job queue is full ({options.QueueCapacity} waiting); try again shortly.", TimeSpan.FromSeconds(5));
        }
        jobs[job.Id] = job;
        ServerMetrics.QueueDepth.Set(Interlocked.Increment(ref queued));
        return job;
    }

    /// <summary>Called by a worker when it takes a job off the queue.</summary>
    public void Dequeued() => ServerMetrics.QueueDepth.Set(Interlocked.Decrement(ref queued));

    public Job? Find(string id) => jobs.TryGetValue(id, out var job) ? job : null;

    /// <summary>Forgets finished jobs older than the time to live, and their results.</summary>
    public int Sweep()
    {
        var cutoff = clock.GetUtcNow() - options.JobTimeToLive;
        int removed = 0;
        foreach (var (id, job) in jobs)
        {
            if (job.IsFinished && job.FinishedAt < cutoff && jobs.TryRemove(id, out _))
            {
                job.Cancellation.Dispose();
                removed++;
            }
        }
        return removed;
    }
}
