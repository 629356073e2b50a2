using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SuperRes.Server.Observability;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>
/// The job API's side of the shared queue: any node accepts jobs (input to the payload store, a small
/// entry on the stream), reads their state from Redis and follows their changes over pub/sub.
/// </summary>
public sealed class RedisJobQueue(IConnectionMultiplexer redis, RedisKeys keys, IPayloadStore payloads, JobChangeHub changes,
    SharedResultCache results, IOptions<ServerOptions> options, TimeProvider clock, ServerMetrics metrics) : IJobQueue, IJobEndStore
{
    private readonly ServerOptions options = options.Value;

    private IDatabase Db => redis.GetDatabase();

    public async Task<JobSnapshot> SubmitAsync(JobRequest request, byte[] input, Admission admission, CancellationToken ct)
    {
        var parameters = request.Upscale;
        var id = JobIds.New();
        var inputKey = RedisKeys.InputPayload(id);
        var ttl = options.Queue.PayloadTimeToLive;
        await payloads.PutAsync(inputKey, input, ttl, ct).ConfigureAwait(false);
        var queued = (int)await RedisScripts.Submit.EvaluateAsync(Db, new
        {
            waiting = keys.Waiting,
            clientWaiting = keys.ClientWaiting(parameters.Client),
            quota = options.QueueQuota,
            job = keys.Job(id),
            stream = keys.Stream,
            capacity = options.Jobs.QueueCapacity,
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
            restore = parameters.Restore.ToString(),
            colour = parameters.Colour.ToString().ToLowerInvariant(),
            webhook = request.Webhook?.Url.ToString() ?? "",
            webhookEvents = request.Webhook?.EventList ?? "",
            now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            expires = (clock.GetUtcNow() + ttl).ToUnixTimeMilliseconds(),
        }).ConfigureAwait(false);
        if (queued != 1)
        {
            await payloads.DeleteAsync(inputKey, ct).ConfigureAwait(false);
            metrics.Rejected(queued switch { 2 => "queue_quota", 3 => "redis_memory", _ => "queue_full" });
            throw queued switch
            {
                2 => QueueFullException.Quota(options.QueueQuota),
                3 => new RedisNearlyFullException(),
                _ => QueueFullException.JobQueue(options.Jobs.QueueCapacity),
            };
        }
        await redis.GetSubscriber().PublishAsync(keys.Submitted, id, CommandFlags.FireAndForget).ConfigureAwait(false);
        metrics.QueueDepth(await QueueDepthAsync(ct).ConfigureAwait(false));
        return await FindAsync(id, ct).ConfigureAwait(false) ?? throw new InvalidOperationException("A job vanished right after it was queued.");
    }

    public async Task<JobSnapshot?> FindAsync(string id, CancellationToken ct) =>
        JobIds.IsValid(id) ? RedisJobRecord.ToSnapshot(id, await Db.HashGetAllAsync(keys.Job(id)).ConfigureAwait(false)) : null;

    public async Task<UpscaleOutcome?> GetResultAsync(string id, CancellationToken ct)
    {
        if (!JobIds.IsValid(id))
        {
            return null;
        }
        var fields = await Db.HashGetAsync(keys.Job(id), ["result", "mediaType", "extension"]).ConfigureAwait(false);
        if (fields[0].IsNullOrEmpty || await payloads.OpenAsync(fields[0].ToString(), ct).ConfigureAwait(false) is not { } content)
        {
            return null;
        }
        return UpscaleOutcome.FromStorage(content, fields[1].ToString(), fields[2].ToString(), cacheHit: false);
    }

    /// <summary>
    /// The result goes under a key derived from input and parameters (a second run after a takeover overwrites it):
    /// the shared cache stored it already when it is on, otherwise it is written here, once. Then one script records
    /// the end, unless the job had ended already.
    /// </summary>
    public async Task<bool> RecordEndAsync(string id, JobEnding ending, CancellationToken ct)
    {
        if (!JobIds.IsValid(id))
        {
            return false;
        }
        if (ending.Result is { Stored: false } result)
        {
            await payloads.PutAsync(SharedResultCache.PayloadKey(result.Key), result.ReadAll(), results.TimeToLive, ct).ConfigureAwait(false);
        }
        var ended = (int)await RedisScripts.Finish.EvaluateAsync(Db, FinishArguments(id, ending)).ConfigureAwait(false) == 1;
        if (ended && ending.Status == JobStatus.Canceled)
        {
            // A canceled job's upload is not needed by anyone; a failed or finished one's is deleted by its worker
            // once the stream entry is acknowledged (until then a takeover may still need it).
            await payloads.DeleteAsync(RedisKeys.InputPayload(id), ct).ConfigureAwait(false);
        }
        return ended;
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

    public async Task RecordWebhookAsync(string id, Webhooks.WebhookState state, CancellationToken ct) =>
        await RedisScripts.RecordWebhook.EvaluateAsync(Db, new
        {
            job = keys.Job(id),
            id,
            status = state.Status,
            attempts = state.Attempts,
            detail = state.Detail ?? "",
            changes = (RedisValue)keys.Changes.ToString(),
        }).ConfigureAwait(false);

    /// <summary>Queued jobs whose upload has not expired.</summary>
    public async Task<long> QueueDepthAsync(CancellationToken ct) =>
        await Db.SortedSetLengthAsync(keys.Waiting, clock.GetUtcNow().ToUnixTimeMilliseconds(), double.PositiveInfinity).ConfigureAwait(false);

    private object FinishArguments(string id, JobEnding ending) => new
    {
        job = keys.Job(id),
        waiting = keys.Waiting,
        id,
        final = RedisJobRecord.Name(ending.Status),
        now = RedisJobRecord.Time(clock.GetUtcNow()),
        progress = ending.Progress.ToString(CultureInfo.InvariantCulture),
        error = ending.Error ?? "",
        errorStatus = ending.ErrorStatus?.ToString(CultureInfo.InvariantCulture) ?? "",
        result = ending.Result is null ? "" : SharedResultCache.PayloadKey(ending.Result.Key),
        mediaType = ending.Result?.MediaType ?? "",
        extension = ending.Result?.Extension ?? "",
        cacheHit = ending.Result is null ? "" : ending.Result.CacheHit ? "1" : "0",
        restoreStrength = ending.Result?.Restore?.Strength.ToString("0.0", CultureInfo.InvariantCulture) ?? "",
        restoreBasis = ending.Result?.Restore?.Basis ?? "",
        restoreAuto = ending.Result?.Restore is { } r ? (r.Auto ? "1" : "0") : "",
        warning = ending.Result is null ? "" : JobResultInfo.Warning(ending.Result.Notes) ?? "",
        ttl = (long)options.Jobs.TimeToLive.TotalSeconds,
        changes = (RedisValue)keys.Changes.ToString(),
    };
}
