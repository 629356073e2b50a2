using Microsoft.Extensions.Options;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs.Idempotency;

/// <summary>Idempotency keys of the in-process queue, kept for the jobs' time to live.</summary>
public sealed class InProcessIdempotencyStore(IOptions<ServerOptions> options, TimeProvider clock) : IIdempotencyStore, ISweeper
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, (string Fingerprint, string? JobId, DateTimeOffset Expires)> keys = new(StringComparer.Ordinal);

    public Task<IdempotencyClaim> ClaimAsync(string key, string fingerprint, CancellationToken ct)
    {
        lock (sync)
        {
            if (keys.TryGetValue(key, out var entry) && entry.Expires > clock.GetUtcNow())
            {
                return Task.FromResult(entry.Fingerprint != fingerprint ? new IdempotencyClaim(IdempotencyOutcome.DifferentBody)
                    : entry.JobId is null ? new IdempotencyClaim(IdempotencyOutcome.InProgress)
                    : new IdempotencyClaim(IdempotencyOutcome.Existing, entry.JobId));
            }
            keys[key] = (fingerprint, null, clock.GetUtcNow() + options.Value.Jobs.TimeToLive);
            return Task.FromResult(new IdempotencyClaim(IdempotencyOutcome.Claimed));
        }
    }

    public Task CompleteAsync(string key, string fingerprint, string jobId, CancellationToken ct)
    {
        lock (sync)
        {
            keys[key] = (fingerprint, jobId, clock.GetUtcNow() + options.Value.Jobs.TimeToLive);
        }
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, CancellationToken ct)
    {
        lock (sync)
        {
            keys.Remove(key);
        }
        return Task.CompletedTask;
    }

    public int Sweep()
    {
        lock (sync)
        {
            var now = clock.GetUtcNow();
            var expired = keys.Where(k => k.Value.Expires <= now).Select(k => k.Key).ToList();
            expired.ForEach(k => keys.Remove(k));
            return expired.Count;
        }
    }
}
