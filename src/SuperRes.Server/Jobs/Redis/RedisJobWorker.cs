using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>
/// Runs jobs from the shared stream, <see cref="ServerOptions.Workers"/> at a time: takes an entry
/// (<see cref="RedisJobStream"/>), starts the job, runs it while a <see cref="RedisJobClaim"/> keeps it claimed and
/// <see cref="RedisJobProgress"/> records progress, then ends it through the <see cref="JobCompletion"/> point.
/// Redis outages are waited out with back-off (<see cref="RedisOutages"/>); a finished result is held until it
/// can be recorded.
/// </summary>
public sealed class RedisJobWorker(IConnectionMultiplexer redis, RedisKeys keys, IPayloadStore payloads, JobCompletion completion, UpscaleService upscale,
    RedisJobQueue queue, Webhooks.WebhookDispatcher webhooks, IOptions<ServerOptions> options, ILogger<RedisJobWorker> log) : BackgroundService
{
    private readonly QueueOptions queueOptions = options.Value.Queue;
    private readonly SemaphoreSlim submitted = new(0);
    private readonly RedisJobStream stream = new(redis, keys, options.Value.Queue);

    private string Consumer => stream.Consumer;

    private IDatabase Db => redis.GetDatabase();

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Persistently(stream.EnsureGroupAsync, stop);
        await Persistently(async () =>
        {
            await redis.GetSubscriber().SubscribeAsync(keys.Submitted, (_, _) => submitted.Release());
            return true;
        }, stop);
        log.LogInformation("Worker {Consumer} reading {Stream}", Consumer, keys.Stream.ToString());
        await Task.WhenAll(Enumerable.Range(0, options.Value.Jobs.Workers).Select(_ => RunLoop(stop)));
    }

    private async Task RunLoop(CancellationToken stop)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var entry = await stream.NextAsync();
                backoff = TimeSpan.FromMilliseconds(500);
                if (entry is null)
                {
                    await submitted.WaitAsync(queueOptions.IdlePoll, stop);
                    continue;
                }
                await RunEntryAsync(entry.Value, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (StorageFailures.IsOutage(e))
            {
                log.LogWarning("Redis unavailable ({Reason}); retrying in {Delay:0.0} s", e.Message, backoff.TotalSeconds);
                if (e.Message.Contains("NOGROUP", StringComparison.Ordinal))
                {
                    await Persistently(stream.EnsureGroupAsync, stop); // Redis came back without its data
                }
                await Task.Delay(backoff, stop);
                backoff = RedisOutages.Longer(backoff);
            }
            catch (Exception e)
            {
                // Anything else (the payload folder failing, a bug): log it and go on. A background service that
                // throws would stop the whole host, API included. The entry stays claimed; once its lease runs
                // out it is taken over, and MaxAttempts bounds how often.
                log.LogError(e, "Worker loop fault; going on in {Delay:0.0} s", backoff.TotalSeconds);
                await Task.Delay(backoff, stop);
                backoff = RedisOutages.Longer(backoff);
            }
        }
    }

    private async Task RunEntryAsync(StreamEntry entry, CancellationToken stop)
    {
        string id = entry["id"].ToString();
        var poisonError = $"The job was started {queueOptions.MaxAttempts} times and its worker stopped each time (the image may crash it); it was given up.";
        var started = (int)await RedisScripts.Start.EvaluateAsync(Db, new
        {
            job = keys.Job(id),
            waiting = keys.Waiting,
            id,
            now = RedisJobRecord.Time(DateTimeOffset.UtcNow),
            worker = Consumer,
            changes = (RedisValue)keys.Changes.ToString(),
            maxAttempts = queueOptions.MaxAttempts,
            poisonError,
            ttl = (long)options.Value.Jobs.TimeToLive.TotalSeconds,
        });
        if (started is 0 or 3)
        {
            if (started == 3)
            {
                await completion.EndedAsync(id, JobEnding.Failed(poisonError, 422), stop); // the start script recorded it
                await DeleteInputAsync(entry["input"].ToString(), stop);
            }
            await AcknowledgeAsync(entry.Id, stop); // canceled, finished by an earlier run, expired, or given up
            return;
        }
        if (started == 2)
        {
            log.LogWarning("Taking over job {Id}: its worker stopped renewing its claim", id);
        }
        var inputKey = entry["input"].ToString();
        var input = await payloads.GetAsync(inputKey, stop);
        if (input is null)
        {
            await EndAsync(id, JobEnding.Failed("The uploaded image expired before a worker could run the job; submit it again.", 410), stop);
            await AcknowledgeAsync(entry.Id, stop);
            return;
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var claim = new RedisJobClaim(redis, keys, Consumer, queueOptions.Heartbeat, log);
        var beating = claim.KeepAsync(id, entry.Id, run);
        try
        {
            // Read once whether the job's webhook wants progress, so jobs without one never pay a lookup per tenth.
            bool wantsProgress = (await queue.FindAsync(id, stop))?.Webhook?.Events.Split(',').Contains("progress") == true;
            var progress = new RedisJobProgress(redis, keys, queue, webhooks, Consumer, id, wantsProgress);
            var outcome = await upscale.RunAsync(input, RedisJobStream.Parameters(entry), null, progress, run.Token);
            await run.CancelAsync(); // stop the heartbeat before recording
            await EndAsync(id, JobEnding.Succeeded(outcome), stop);
            log.LogInformation("Job {Id} succeeded in {Seconds:0.00} s; longest gap between claim renewals {Gap:0.00} s",
                id, outcome.Elapsed.TotalSeconds, claim.LongestGap.TotalSeconds);
            await AcknowledgeAsync(entry.Id, stop);
            await DeleteInputAsync(inputKey, stop);
        }
        catch (OperationCanceledException) when (claim.Outcome == RedisJobClaim.State.Canceled)
        {
            await AcknowledgeAsync(entry.Id, stop); // the API recorded the cancel
        }
        catch (OperationCanceledException) when (claim.Outcome == RedisJobClaim.State.Lost || stop.IsCancellationRequested)
        {
            // Another worker owns the job now, or this one is shutting down: leave the entry for whoever claims it.
        }
        catch (Exception e) when (!StorageFailures.IsOutage(e))
        {
            await Persistently(() => completion.FailAsync(id, e, stop), stop);
            await AcknowledgeAsync(entry.Id, stop);
            await DeleteInputAsync(inputKey, stop);
        }
        finally
        {
            await run.CancelAsync();
            await beating;
        }
    }

    /// <summary>Through the completion point, waiting out Redis outages: a finished job's end is never lost.</summary>
    private Task<bool> EndAsync(string id, JobEnding ending, CancellationToken stop, Exception? cause = null) =>
        Persistently(() => completion.EndAsync(id, ending, stop, cause), stop);

    private Task AcknowledgeAsync(RedisValue entryId, CancellationToken stop) => Persistently(() => stream.AcknowledgeAsync(entryId), stop);

    // Only once the entry is acknowledged: until then a takeover may still need the input.
    private Task DeleteInputAsync(string key, CancellationToken stop) =>
        Persistently(async () => { await payloads.DeleteAsync(key, stop); return true; }, stop);

    private Task<T> Persistently<T>(Func<Task<T>> operation, CancellationToken stop) => RedisOutages.PersistentlyAsync(operation, log, stop);
}
