using SuperRes.Server.Pipeline;
namespace SuperRes.Server.Jobs;

/// <summary>
/// What the job API needs from a queue: <see cref="InProcessJobQueue"/> keeps jobs in this process,
/// <see cref="Redis.RedisJobQueue"/> shares them between nodes through Redis. Jobs end (succeed, fail, are
/// canceled) through <see cref="JobCompletion"/>, whichever queue holds them.
/// </summary>
public interface IJobQueue
{
    /// <param name="admission">What the endpoint read and checked: a job run in this process hands it on (the header is
    /// parsed once per request); a worker in another process admits the bytes it fetches again.</param>
    /// <exception cref="QueueFullException">Too many jobs are waiting.</exception>
    Task<JobSnapshot> SubmitAsync(JobRequest request, byte[] input, Admission admission, CancellationToken ct);

    Task<JobSnapshot?> FindAsync(string id, CancellationToken ct);

    /// <summary>The result of a succeeded job; null when there is none (yet).</summary>
    Task<UpscaleOutcome?> GetResultAsync(string id, CancellationToken ct);

    /// <summary>The job's state now and after every change, ending with its final state.</summary>
    IAsyncEnumerable<JobSnapshot> WatchAsync(string id, CancellationToken ct);

    /// <summary>Records how the job's latest webhook delivery went (shown on the job).</summary>
    Task RecordWebhookAsync(string id, Webhooks.WebhookState state, CancellationToken ct);

    /// <summary>Jobs waiting to start.</summary>
    Task<long> QueueDepthAsync(CancellationToken ct);
}
