using Microsoft.Extensions.Logging;
using SuperRes.Server.Observability;

namespace SuperRes.Server.Jobs;

/// <summary>
/// The one place a job ends, whichever queue holds it and whoever ends it (a worker's success or failure, a client's
/// cancel, Redis giving up a job whose worker kept dying): the queue records the end, and only the call that really
/// ended the job counts it and logs it. Anything else that reacts to an end belongs here, written once.
/// </summary>
public sealed class JobCompletion(IJobEndStore store, ILogger<JobCompletion> log)
{
    /// <returns>Whether this call ended the job.</returns>
    public async Task<bool> EndAsync(string id, JobEnding ending, CancellationToken ct, Exception? cause = null)
    {
        if (!await store.RecordEndAsync(id, ending, ct).ConfigureAwait(false))
        {
            return false;
        }
        Ended(id, ending, cause);
        return true;
    }

    /// <summary>An end the queue recorded by itself (the Redis start script gives up a job whose worker died each time).</summary>
    public void Ended(string id, JobEnding ending, Exception? cause = null)
    {
        ServerMetrics.Jobs.WithLabels(ending.Status.ToString().ToLowerInvariant()).Inc();
        if (ending.ErrorStatus >= 500)
        {
            log.LogError(cause, "Job {Id} failed: {Error}", id, ending.Error);
        }
        else
        {
            log.LogInformation("Job {Id} {Status}{Detail}", id, ending.Status.ToString().ToLowerInvariant(), ending.Error is null ? "" : $": {ending.Error}");
        }
    }
}
