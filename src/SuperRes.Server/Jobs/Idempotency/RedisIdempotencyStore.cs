using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SuperRes.Server.Jobs.Redis;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Jobs.Idempotency;

/// <summary>
/// Idempotency keys shared by every API node: a claim is a Redis <c>SET NX</c> with the jobs' time to live,
/// so two nodes receiving the same retry cannot both create a job.
/// </summary>
public sealed class RedisIdempotencyStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<ServerOptions> options) : IIdempotencyStore
{
    private const string Pending = "-";

    private IDatabase Db => redis.GetDatabase();

    private RedisKey KeyOf(string key) => keys.Idempotency(key);

    private TimeSpan TimeToLive => options.Value.Jobs.TimeToLive;

    public async Task<IdempotencyClaim> ClaimAsync(string key, string fingerprint, CancellationToken ct)
    {
        if (await Db.StringSetAsync(KeyOf(key), $"{fingerprint}|{Pending}", TimeToLive, When.NotExists).ConfigureAwait(false))
        {
            return new IdempotencyClaim(IdempotencyOutcome.Claimed);
        }
        var value = (string?)await Db.StringGetAsync(KeyOf(key)).ConfigureAwait(false);
        if (value is null)
        {
            return await ClaimAsync(key, fingerprint, ct).ConfigureAwait(false); // expired in between
        }
        var parts = value.Split('|', 2);
        return parts[0] != fingerprint ? new IdempotencyClaim(IdempotencyOutcome.DifferentBody)
            : parts[1] == Pending ? new IdempotencyClaim(IdempotencyOutcome.InProgress)
            : new IdempotencyClaim(IdempotencyOutcome.Existing, parts[1]);
    }

    public Task CompleteAsync(string key, string fingerprint, string jobId, CancellationToken ct) =>
        Db.StringSetAsync(KeyOf(key), $"{fingerprint}|{jobId}", TimeToLive);

    public Task ReleaseAsync(string key, CancellationToken ct) => Db.KeyDeleteAsync(KeyOf(key));
}
