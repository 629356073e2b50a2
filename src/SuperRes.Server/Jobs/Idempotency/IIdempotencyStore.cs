using SuperRes.Server.Settings;
namespace SuperRes.Server.Jobs.Idempotency;

/// <summary>
/// Remembers which job an <c>Idempotency-Key</c> created, for <see cref="ServerOptions.JobTimeToLive"/>: a client
/// that sends the same submit again (after a time-out) gets the same job, not a second one.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for a request with this <paramref name="fingerprint"/> (a hash of its body).
    /// </summary>
    /// <returns>Claimed (the caller submits, then <see cref="CompleteAsync"/>), or the job id the key already names,
    /// or a conflict (the key was used for another body, or its first request is still being accepted).</returns>
    Task<IdempotencyClaim> ClaimAsync(string key, string fingerprint, CancellationToken ct);

    Task CompleteAsync(string key, string fingerprint, string jobId, CancellationToken ct);

    /// <summary>Forgets a claim whose submit failed, so a retry can try again.</summary>
    Task ReleaseAsync(string key, CancellationToken ct);
}

public enum IdempotencyOutcome
{
    Claimed,
    Existing,
    DifferentBody,
    InProgress,
}

public sealed record IdempotencyClaim(IdempotencyOutcome Outcome, string? JobId = null);
