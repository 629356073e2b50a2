namespace SuperRes.Server.Jobs;

/// <summary>The part of ending a job that differs between queues: where its final state and result are kept.</summary>
public interface IJobEndStore
{
    /// <summary>Stores the result (if any), then the final state.</summary>
    /// <returns>False when the job had ended already (a cancel won the race, or a worker that took it over finished it)
    /// or is unknown: then nothing changed, and nothing reacts.</returns>
    Task<bool> RecordEndAsync(string id, JobEnding ending, CancellationToken ct);
}
