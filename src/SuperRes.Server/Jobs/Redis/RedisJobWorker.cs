using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SuperRes.Imaging;
using SuperRes.Server.Caching;
using SuperRes.Server.Jobs.Payloads;
using SuperRes.Server.Observability;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>
/// Runs jobs from the shared stream, <see cref="ServerOptions.Workers"/> at a time. Entries are read through
/// the consumer group; an entry whose worker has been silent longer than the lease is taken over with
/// XAUTOCLAIM. While a job runs, a heartbeat renews the claim (so a long job is never taken over while its
/// worker lives) and notices a cancel. Redis outages are waited out with back-off; a finished result is
/// held until it can be recorded.
/// </summary>
public sealed class RedisJobWorker(IConnectionMultiplexer redis, RedisKeys keys, IPayloadStore payloads, JobCompletion completion, UpscaleService upscale,
    RedisJobQueue queue, Webhooks.WebhookDispatcher webhooks, IOptions<ServerOptions> options, ILogger<RedisJobWorker> log) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private readonly QueueOptions queueOptions = options.Value.Queue;
    private readonly SemaphoreSlim submitted = new(0);

    /// <summary>This process's consumer name in the group (host, process id, a random suffix for restarts).</summary>
    public string Consumer { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    private IDatabase Db => redis.GetDatabase();

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Persistently(EnsureGroupAsync, stop);
        await Persistently(async () =>
        {
            await redis.GetSubscriber().SubscribeAsync(keys.Submitted, (_, _) => submitted.Release());
            return true;
        }, stop);
        log.LogInformation("Worker {Consumer} reading {Stream}", Consumer, keys.Stream.ToString());
        await Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => RunLoop(stop)));
    }

    private async Task RunLoop(CancellationToken stop)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var entry = await NextEntryAsync();
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
            catch (Exception e) when (IsRedisTrouble(e))
            {
                log.LogWarning("Redis unavailable ({Reason}); retrying in {Delay:0.0} s", e.Message, backoff.TotalSeconds);
                if (e.Message.Contains("NOGROUP", StringComparison.Ordinal))
                {
                    await Persistently(EnsureGroupAsync, stop); // Redis came back without its data
                }
                await Task.Delay(backoff, stop);
                backoff = Min(backoff * 2, MaxBackoff);
            }
            catch (Exception e)
            {
                // Anything else (the payload folder failing, a bug): log it and go on. A background service that
                // throws would stop the whole host, API included. The entry stays claimed; once its lease runs
                // out it is taken over, and MaxAttempts bounds how often.
                log.LogError(e, "Worker loop fault; going on in {Delay:0.0} s", backoff.TotalSeconds);
                await Task.Delay(backoff, stop);
                backoff = Min(backoff * 2, MaxBackoff);
            }
        }
    }

    /// <summary>A stalled entry first (its worker died), else a new one.</summary>
    private async Task<StreamEntry?> NextEntryAsync()
    {
        var stalled = await Db.StreamAutoClaimAsync(keys.Stream, RedisKeys.Group, Consumer, (long)queueOptions.Lease.TotalMilliseconds, "0-0", 1);
        foreach (var gone in stalled.DeletedIds)
        {
            await Db.StreamAcknowledgeAsync(keys.Stream, RedisKeys.Group, gone);
        }
        if (stalled.ClaimedEntries is [var taken, ..])
        {
            return taken;
        }
        var fresh = await Db.StreamReadGroupAsync(keys.Stream, RedisKeys.Group, Consumer, StreamPosition.NewMessages, 1);
        return fresh is [var entry, ..] ? entry : null;
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
            ttl = (long)options.Value.JobTimeToLive.TotalSeconds,
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
        var heartbeat = new Heartbeat();
        var beating = KeepClaimAsync(id, entry.Id, heartbeat, run);
        try
        {
            var parameters = Parameters(entry);
            // Read once whether the job's webhook wants progress, so jobs without one never pay a lookup per tenth.
            var tenths = (await queue.FindAsync(id, stop))?.Webhook?.Events.Split(',').Contains("progress") == true ? new Webhooks.ProgressTenths() : null;
            var progress = new ThrottledProgress(f => _ = ReportProgressAsync(id, f, tenths));
            var outcome = await upscale.RunAsync(input, parameters, progress, run.Token);
            await run.CancelAsync(); // stop the heartbeat before recording
            await EndAsync(id, JobEnding.Succeeded(outcome), stop);
            log.LogInformation("Job {Id} succeeded in {Seconds:0.00} s; longest gap between claim renewals {Gap:0.00} s",
                id, outcome.Elapsed.TotalSeconds, heartbeat.LongestGap.TotalSeconds);
            await AcknowledgeAsync(entry.Id, stop);
            await DeleteInputAsync(inputKey, stop);
        }
        catch (OperationCanceledException) when (heartbeat.Outcome == HeartbeatOutcome.Canceled)
        {
            await AcknowledgeAsync(entry.Id, stop); // the API recorded the cancel
        }
        catch (OperationCanceledException) when (heartbeat.Outcome == HeartbeatOutcome.Lost || stop.IsCancellationRequested)
        {
            // Another worker owns the job now, or this one is shutting down: leave the entry for whoever claims it.
        }
        catch (Exception e) when (!IsRedisTrouble(e))
        {
            await EndAsync(id, JobEnding.Failed(e), stop, e);
            await AcknowledgeAsync(entry.Id, stop);
            await DeleteInputAsync(inputKey, stop);
        }
        finally
        {
            await run.CancelAsync();
            await beating;
        }
    }

    private async Task KeepClaimAsync(string id, RedisValue entryId, Heartbeat heartbeat, CancellationTokenSource run)
    {
        using var timer = new PeriodicTimer(queueOptions.Heartbeat);
        var lastRenewal = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (await timer.WaitForNextTickAsync(run.Token))
            {
                int renewed;
                try
                {
                    renewed = (int)await RedisScripts.Heartbeat.EvaluateAsync(Db, new
                    {
                        job = keys.Job(id),
                        stream = keys.Stream,
                        group = RedisKeys.Group,
                        entry = entryId,
                        worker = Consumer,
                    });
                }
                catch (Exception e) when (IsRedisTrouble(e))
                {
                    continue; // keep running; the claim is renewed once Redis answers again
                }
                if (lastRenewal.Elapsed > heartbeat.LongestGap)
                {
                    heartbeat.LongestGap = lastRenewal.Elapsed; // what the lease must cover for a live worker
                }
                lastRenewal.Restart();
                if (renewed != 1)
                {
                    heartbeat.Outcome = renewed == -1 ? HeartbeatOutcome.Canceled : HeartbeatOutcome.Lost;
                    log.LogWarning("Job {Id}: {What}", id, renewed == -1 ? "canceled" : "claim lost to another worker");
                    await run.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReportProgressAsync(string id, double fraction, Webhooks.ProgressTenths? tenths)
    {
        try
        {
            if (tenths?.Crossed(fraction) == true && await queue.FindAsync(id, CancellationToken.None) is { Webhook: not null } job)
            {
                webhooks.Notify(job with { Progress = Math.Round(fraction, 4) }, "progress");
            }
            await RedisScripts.Progress.EvaluateAsync(Db, new
            {
                job = keys.Job(id),
                id,
                worker = Consumer,
                progress = fraction.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
                changes = (RedisValue)keys.Changes.ToString(),
            });
        }
        catch (Exception e) when (IsRedisTrouble(e))
        {
            // Progress is advisory: a lost update is replaced by the next one.
        }
    }

    /// <summary>Through the completion point, waiting out Redis outages: a finished job's end is never lost.</summary>
    private Task<bool> EndAsync(string id, JobEnding ending, CancellationToken stop, Exception? cause = null) =>
        Persistently(() => completion.EndAsync(id, ending, stop, cause), stop);

    private Task AcknowledgeAsync(RedisValue entryId, CancellationToken stop) => Persistently(async () =>
    {
        await Db.StreamAcknowledgeAsync(keys.Stream, RedisKeys.Group, entryId);
        await Db.StreamDeleteAsync(keys.Stream, [entryId]);
        return true;
    }, stop);

    // Only once the entry is acknowledged: until then a takeover may still need the input.
    private Task DeleteInputAsync(string key, CancellationToken stop) =>
        Persistently(async () => { await payloads.DeleteAsync(key, stop); return true; }, stop);

    private async Task<bool> EnsureGroupAsync()
    {
        try
        {
            // From the beginning: jobs submitted before any worker existed are read too.
            await Db.StreamCreateConsumerGroupAsync(keys.Stream, RedisKeys.Group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
        }
        return true;
    }

    /// <summary>Retries an operation through Redis outages with exponential back-off, until it succeeds or the host stops.</summary>
    private async Task<T> Persistently<T>(Func<Task<T>> operation, CancellationToken stop)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await operation();
            }
            catch (Exception e) when (IsRedisTrouble(e) && !stop.IsCancellationRequested)
            {
                log.LogWarning("Redis unavailable ({Reason}); retrying in {Delay:0.0} s", e.Message, backoff.TotalSeconds);
                await Task.Delay(backoff, stop);
                backoff = Min(backoff * 2, MaxBackoff);
            }
        }
    }

    private static UpscaleParameters Parameters(StreamEntry entry)
    {
        var format = entry["format"].ToString();
        return new UpscaleParameters(entry["model"].ToString(), (int)entry["scale"],
            format.Length == 0 ? null : Enum.Parse<ImageFormat>(format), (int)entry["quality"], entry["tenant"].ToString(), entry["ensemble"] == 1);
    }

    /// <summary>
    /// An outage worth waiting out: Redis unreachable, slow or loading, a script or group gone with its data,
    /// or the payload folder failing. Redis refusing a value (out of memory, too large) is not: retrying would
    /// recompute the job forever, so that job fails with the reason instead.
    /// </summary>
    private static bool IsRedisTrouble(Exception e) =>
        ProblemMapping.IsUnavailable(e) || (e is RedisException && !IsRefusal(e));

    private static bool IsRefusal(Exception e) => e is RedisServerException r
        && (r.Message.StartsWith("OOM", StringComparison.Ordinal) || r.Message.Contains("max", StringComparison.OrdinalIgnoreCase) && r.Message.Contains("bulk", StringComparison.OrdinalIgnoreCase));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private enum HeartbeatOutcome
    {
        Renewing,
        Canceled,
        Lost,
    }

    private sealed class Heartbeat
    {
        public volatile HeartbeatOutcome Outcome = HeartbeatOutcome.Renewing;

        public TimeSpan LongestGap;
    }

    /// <summary>Passes on progress at most once per percent, so a many-tile job does not flood Redis.</summary>
    private sealed class ThrottledProgress(Action<double> report) : IProgress<UpscaleProgress>
    {
        private double last = -1;

        public void Report(UpscaleProgress value)
        {
            double f = value.Fraction;
            if (f >= 1 || f - Volatile.Read(ref last) >= 0.01)
            {
                Volatile.Write(ref last, f);
                report(f);
            }
        }
    }
}
