using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SuperRes.Server.Observability;

namespace SuperRes.Server.Jobs;

/// <summary>
/// All jobs by id, and the queue of those waiting to run. The bound counts jobs still waiting: a job
/// leaves the count exactly once, when a worker starts it or when it is canceled while queued.
/// </summary>
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
        queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = false });
    }

    public int QueueDepth => Volatile.Read(ref queued);

    public ChannelReader<Job> Reader => queue.Reader;

    public Job Submit(Job job)
    {
        if (Interlocked.Increment(ref queued) > Math.Max(1, options.QueueCapacity))
        {
            Interlocked.Decrement(ref queued);
            ServerMetrics.Rejected.WithLabels("queue_full").Inc();
            throw new QueueFullException($"The job queue is full ({options.QueueCapacity} waiting); try again shortly.", TimeSpan.FromSeconds(5));
        }
        jobs[job.Id] = job;
        queue.Writer.TryWrite(job); // unbounded: always succeeds
        ServerMetrics.QueueDepth.Set(QueueDepth);
        return job;
    }

    /// <summary>A worker's claim on a job it took off the queue; false if the job was canceled meanwhile.</summary>
    public bool TryStart(Job job)
    {
        if (!job.TryStart(clock.GetUtcNow()))
        {
            return false;
        }
        LeftQueue();
        return true;
    }

    public JobStatus Cancel(Job job)
    {
        var before = job.Cancel(clock.GetUtcNow());
        if (before == JobStatus.Queued)
        {
            LeftQueue();
        }
        return before;
    }

    private void LeftQueue() => ServerMetrics.QueueDepth.Set(Interlocked.Decrement(ref queued));

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
