using Microsoft.Extensions.Logging;
using SuperRes.Server.Observability;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs;

/// <summary>
/// The one place a job ends, whichever queue holds it and whoever ends it (a worker's success or failure, a client's
/// cancel, Redis giving up a job whose worker kept dying): the queue records the end, and only the call that really
/// ended the job counts it and logs it. Anything else that reacts to an end belongs here, written once.
/// </summary>
public sealed class JobCompletion(IJobEndStore store, IJobQueue queue, Webhooks.WebhookDispatcher webhooks, IFailureDescriptions failures,
    ServerMetrics metrics, ILogger<JobCompletion> log)
{
    /// <returns>Whether this call ended the job.</returns>
    public async Task<bool> EndAsync(string id, JobEnding ending, CancellationToken ct, Exception? cause = null)
    {
        if (!await store.RecordEndAsync(id, ending, ct).ConfigureAwait(false))
        {
            return false;
        }
        await EndedAsync(id, ending, ct, cause).ConfigureAwait(false);
        return true;
    }

    /// <summary>Ends a job that failed with <paramref name="e"/>: with the status and sentence a synchronous request would get.</summary>
    public Task<bool> FailAsync(string id, Exception e, CancellationToken ct)
    {
        var (status, detail) = failures.Describe(e);
        return EndAsync(id, JobEnding.Failed(detail, status), ct, e);
    }

    /// <summary>Reactions to an end: counted, logged, and sent to the job's webhook (in the background). Called directly
    /// for an end the queue recorded by itself (the Redis start script gives up a job whose worker died each time).</summary>
    public async Task EndedAsync(string id, JobEnding ending, CancellationToken ct, Exception? cause = null)
    {
        metrics.JobEnded(ending.Status.ToString().ToLowerInvariant());
        if (ending.ErrorStatus >= 500)
        {
            log.LogError(cause, "Job {Id} failed: {Error}", id, ending.Error);
        }
        else
        {
            log.LogInformation("Job {Id} {Status}{Detail}", id, ending.Status.ToString().ToLowerInvariant(), ending.Error is null ? "" : $": {ending.Error}");
        }
        try
        {
            if (await queue.FindAsync(id, ct).ConfigureAwait(false) is { Webhook: not null } job)
            {
                webhooks.Notify(job, Webhooks.WebhookTarget.EventFor(ending.Status));
            }
        }
        catch (Exception e) when (StorageFailures.IsOutage(e) || StorageFailures.IsOutOfMemory(e))
        {
            // The end is recorded; only its webhook is lost, and the job says so (its webhook stays "pending").
            log.LogWarning("Job {Id} ended but its webhook could not be read: {Reason}", id, e.Message);
        }
    }
}
