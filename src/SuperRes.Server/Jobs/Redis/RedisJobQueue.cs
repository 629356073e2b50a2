using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SuperRes.Server.Jobs.Payloads;
using SuperRes.Server.Observability;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>
/// The job API's side of the shared queue: any node accepts jobs (input to the payload store, a small
/// entry on the stream), reads their state from Redis and follows their changes over pub/sub.
/// </summary>
public sealed class RedisJobQueue(IConnectionMultiplexer redis, RedisKeys keys, IPayloadStore payloads, JobChangeHub changes,
    IOptions<ServerOptions> options, TimeProvider clock) : IJobQueue
{
    private readonly ServerOptions options = options.Value;

    private IDatabase Db => redis.GetDatabase();

    public async Task<JobSnapshot> SubmitAsync(UpscaleParameters parameters, byte[] input, CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var inputKey = RedisKeys.InputPayload(id);
        var ttl = options.Queue.PayloadTimeToLive;
        await payloads.PutAsync(inputKey, input, ttl, ct).ConfigureAwait(false);
        var queued = (int)await RedisScripts.Submit.EvaluateAsync(Db, new
        {
            waiting = keys.Waiting,
            job = keys.Job(id),
            stream = keys.Stream,
            capacity = Math.Max(1, options.QueueCapacity),
            ttl = (long)ttl.TotalSeconds,
            id,
            model = parameters.Model,
            scale = parameters.Scale,
            format = parameters.Format?.ToString() ?? "",
            quality = parameters.Quality,
            created = RedisJobRecord.Time(clock.GetUtcNow()),
            input = inputKey,
            tenant = parameters.Tenant,
            ensemble = parameters.Ensemble ? 1 : 0,
            now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            expires = (clock.GetUtcNow() + ttl).ToUnixTimeMilliseconds(),
        }).ConfigureAwait(false);
        if (queued == 0)
        {
            await payloads.DeleteAsync(inputKey, ct).ConfigureAwait(false);
            ServerMetrics.Rejected.WithLabels("queue_full").Inc();
            throw new QueueFullException($"The job queue is full ({options.QueueCapacity} waiting); try again shortly.", TimeSpan.FromSeconds(5));
        }
        await redis.GetSubscriber().PublishAsync(keys.Submitted, id, CommandFlags.FireAndForget).ConfigureAwait(false);
        ServerMetrics.QueueDepth.Set(await QueueDepthAsync(ct).ConfigureAwait(false));
        return await FindAsync(id, ct).ConfigureAwait(false) ?? throw new InvalidOperationException("A job vanished right after it was queued.");
    }

    public async Task<JobSnapshot?> FindAsync(string id, CancellationToken ct) =>
        IsJobId(id) ? RedisJobRecord.ToSnapshot(id, await Db.HashGetAllAsync(keys.Job(id)).ConfigureAwait(false)) : null;

    public async Task<JobResult?> GetResultAsync(string id, CancellationToken ct)
    {
        if (!IsJobId(id))
        {
            return null;
        }
        var fields = await Db.HashGetAsync(keys.Job(id), ["result", "mediaType", "extension"]).ConfigureAwait(false);
        if (fields[0].IsNullOrEmpty || await payloads.GetAsync(fields[0].ToString(), ct).ConfigureAwait(false) is not { } data)
        {
            return null;
        }
        return new JobResult(new MemoryStream(data, writable: false), fields[1].ToString(), fields[2].ToString());
    }

    public async Task<JobSnapshot?> CancelAsync(string id, CancellationToken ct)
    {
        if (await FindAsync(id, ct).ConfigureAwait(false) is not { } job)
        {
            return null;
        }
        var finished = (int)await RedisScripts.Finish.EvaluateAsync(Db, FinishArguments(id, JobStatus.Canceled, job.Progress, "The job was canceled.", null, null)).ConfigureAwait(false);
        if (finished == 1)
        {
            await payloads.DeleteAsync(RedisKeys.InputPayload(id), ct).ConfigureAwait(false);
            ServerMetrics.Jobs.WithLabels("canceled").Inc();
        }
        return await FindAsync(id, ct).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<JobSnapshot> WatchAsync(string id, [EnumeratorCancellation] CancellationToken ct)
    {
        JobSnapshot? last = null;
        while (await FindAsync(id, ct).ConfigureAwait(false) is { } job)
        {
            if (job != last)
            {
                yield return job;
                last = job;
            }
            if (job.IsFinished)
            {
                yield break;
            }
            await changes.WaitAsync(id, TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Queued jobs whose upload has not expired.</summary>
    public async Task<long> QueueDepthAsync(CancellationToken ct) =>
        await Db.SortedSetLengthAsync(keys.Waiting, clock.GetUtcNow().ToUnixTimeMilliseconds(), double.PositiveInfinity).ConfigureAwait(false);

    /// <summary>The arguments of <see cref="RedisScripts.Finish"/>; shared with the worker.</summary>
    internal object FinishArguments(string id, JobStatus final, double progress, string? error, int? errorStatus, UpscaleOutcome? result) => new
    {
        job = keys.Job(id),
        waiting = keys.Waiting,
        id,
        final = RedisJobRecord.Name(final),
        now = RedisJobRecord.Time(clock.GetUtcNow()),
        progress = progress.ToString(CultureInfo.InvariantCulture),
        error = error ?? "",
        errorStatus = errorStatus?.ToString(CultureInfo.InvariantCulture) ?? "",
        result = result is null ? "" : Caching.SharedResultCache.PayloadKey(result.Key),
        mediaType = result?.MediaType ?? "",
        extension = result?.Extension ?? "",
        cacheHit = result is null ? "" : result.CacheHit ? "1" : "0",
        ttl = (long)options.JobTimeToLive.TotalSeconds,
        changes = (RedisValue)keys.Changes.ToString(),
    };

    // Ids are 32 hex digits; anything else is answered 404 without touching Redis.
    private static bool IsJobId(string id) => id.Length == 32 && id.All(Uri.IsHexDigit);
}
