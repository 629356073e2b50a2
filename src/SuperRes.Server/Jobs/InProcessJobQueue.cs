using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SuperRes.Server.Observability;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs;

/// <summary>
/// All jobs by id, and the queue of those waiting to run. The bound counts jobs still waiting: a job
/// leaves the count exactly once, when a worker starts it or when it is canceled while queued.
/// The in-process queue: no dependencies, lost with the process.
/// </summary>
public sealed class InProcessJobQueue : IJobQueue, IJobEndStore, ISweeper
{
    private readonly ConcurrentDictionary<string, Job> jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> waitingByClient = new(StringComparer.Ordinal);
    private readonly Channel<Job> queue;
    private readonly TimeProvider clock;
    private readonly ServerOptions options;
    private int queued;

    private readonly BoundedFileStore results;
    private readonly ServerMetrics metrics;

    /// <param name="results">The server's result files, shared with the disk cache: a finished job holds its entry there.</param>
    public InProcessJobQueue(IOptions<ServerOptions> options, TimeProvider clock, BoundedFileStore results, ServerMetrics metrics)
    {
        this.metrics = metrics;
        this.results = results;
        this.options = options.Value;
        this.clock = clock;
        queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = false });
    }

    public int QueueDepth => Volatile.Read(ref queued);

    public ChannelReader<Job> Reader => queue.Reader;

    public Job Submit(Job job)
    {
        if (Interlocked.Increment(ref queued) > options.Jobs.QueueCapacity)
        {
            Interlocked.Decrement(ref queued);
            metrics.Rejected("queue_full");
            throw QueueFullException.JobQueue(options.Jobs.QueueCapacity);
        }
        // Then the client's share: one client cannot fill the queue for everyone.
        var client = job.Parameters.Client;
        if (waitingByClient.AddOrUpdate(client, 1, (_, n) => n + 1) > options.QueueQuota)
        {
            LeaveQuota(client);
            Interlocked.Decrement(ref queued);
            metrics.Rejected("queue_quota");
            throw QueueFullException.Quota(options.QueueQuota);
        }
        jobs[job.Id] = job;
        queue.Writer.TryWrite(job); // unbounded: always succeeds
        metrics.QueueDepth(QueueDepth);
        return job;
    }

    /// <summary>A worker's claim on a job it took off the queue; false if the job was canceled meanwhile.</summary>
    public bool TryStart(Job job)
    {
        if (!job.TryStart(clock.GetUtcNow()))
        {
            return false;
        }
        LeftQueue(job);
        return true;
    }

    private bool Cancel(Job job)
    {
        var before = job.Cancel(clock.GetUtcNow());
        if (before == JobStatus.Queued)
        {
            LeftQueue(job);
        }
        return before is JobStatus.Queued or JobStatus.Running;
    }

    private void LeftQueue(Job job)
    {
        LeaveQuota(job.Parameters.Client);
        metrics.QueueDepth(Interlocked.Decrement(ref queued));
    }

    private void LeaveQuota(string client)
    {
        if (waitingByClient.AddOrUpdate(client, 0, (_, n) => n - 1) <= 0)
        {
            waitingByClient.TryRemove(new KeyValuePair<string, int>(client, 0));
        }
    }

    public Job? Find(string id) => jobs.TryGetValue(id, out var job) ? job : null;

    /// <summary>Forgets finished jobs older than the time to live, and their results.</summary>
    public int Sweep()
    {
        var cutoff = clock.GetUtcNow() - options.Jobs.TimeToLive;
        int removed = 0;
        foreach (var (id, job) in jobs)
        {
            if (job.IsFinished && job.FinishedAt < cutoff && jobs.TryRemove(id, out _))
            {
                results.Release(id);
                job.Cancellation.Dispose();
                removed++;
            }
        }
        return removed;
    }

    public Task<JobSnapshot> SubmitAsync(JobRequest request, byte[] input, Admission admission, CancellationToken ct) =>
        Task.FromResult(Submit(new Job(request, input, admission, clock.GetUtcNow())).Snapshot());

    public Task<JobSnapshot?> FindAsync(string id, CancellationToken ct) => Task.FromResult(Find(id)?.Snapshot());

    public Task<bool> RecordEndAsync(string id, JobEnding ending, CancellationToken ct)
    {
        if (Find(id) is not { } job)
        {
            return Task.FromResult(false);
        }
        return Task.FromResult(ending.Status switch
        {
            JobStatus.Succeeded => Succeed(job, ending.Result ?? throw new ArgumentException("A succeeded job needs its result.", nameof(ending))),
            JobStatus.Failed => job.Fail(ending.Error ?? "The job failed.", ending.ErrorStatus ?? 500, clock.GetUtcNow()),
            JobStatus.Canceled => Cancel(job),
            _ => throw new ArgumentException($"{ending.Status} is not an end.", nameof(ending)),
        });
    }

    /// <summary>Holds a finished job's bytes on disk (the cache entry itself when the cache has them, else a file of its
    /// own in the same store: one copy either way), then marks it succeeded.</summary>
    private bool Succeed(Job job, UpscaleOutcome outcome)
    {
        using (outcome.Content)
        {
            var client = job.Parameters.Client;
            if (!(outcome.Stored && results.TryHold(outcome.Key, job.Id, client)))
            {
                outcome.Content.Position = 0;
                results.Put(outcome.Key.Length > 0 ? outcome.Key : job.Id, outcome.Extension, outcome.Content, job.Id, client);
            }
        }
        if (!job.Succeed(new JobResultInfo(outcome.MediaType, outcome.Extension, outcome.CacheHit, outcome.Notes, outcome.Restore), clock.GetUtcNow()))
        {
            results.Release(job.Id); // canceled while it was being saved
            return false;
        }
        return true;
    }

    public Task<UpscaleOutcome?> GetResultAsync(string id, CancellationToken ct) =>
        Task.FromResult(Find(id)?.Result is { } r && results.OpenHeld(id) is { } stream ? UpscaleOutcome.FromStorage(stream, r.MediaType, r.Extension, r.CacheHit) : null);

    public async IAsyncEnumerable<JobSnapshot> WatchAsync(string id, [EnumeratorCancellation] CancellationToken ct)
    {
        var job = Find(id);
        if (job is null)
        {
            yield break;
        }
        while (true)
        {
            long version = job.Version;
            var snapshot = job.Snapshot();
            yield return snapshot;
            // Decide from the snapshot just taken: the job may finish while it is being written.
            if (snapshot.IsFinished)
            {
                yield break;
            }
            await job.WaitForChangeAsync(version, ct).ConfigureAwait(false);
        }
    }

    public Task<long> QueueDepthAsync(CancellationToken ct) => Task.FromResult((long)QueueDepth);

    public Task RecordWebhookAsync(string id, Webhooks.WebhookState state, CancellationToken ct)
    {
        Find(id)?.RecordWebhook(state);
        return Task.CompletedTask;
    }
}
