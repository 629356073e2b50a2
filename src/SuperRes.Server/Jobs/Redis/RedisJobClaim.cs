using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>
/// A running job's claim, renewed every <see cref="QueueOptions.Heartbeat"/> while it runs, so a long job is never
/// taken over while its worker lives. The renewal also notices a cancel, or that another worker took the job;
/// either cancels the run.
/// </summary>
public sealed class RedisJobClaim(IConnectionMultiplexer redis, RedisKeys keys, string consumer, TimeSpan interval, ILogger log)
{
    public enum State
    {
        Renewing,
        Canceled,
        Lost,
    }

    private volatile State state = State.Renewing;

    public State Outcome => state;

    /// <summary>The longest time between two renewals: what the lease must cover for a live worker.</summary>
    public TimeSpan LongestGap { get; private set; }

    public async Task KeepAsync(string id, RedisValue entryId, CancellationTokenSource run)
    {
        using var timer = new PeriodicTimer(interval);
        var lastRenewal = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (await timer.WaitForNextTickAsync(run.Token))
            {
                int renewed;
                try
                {
                    renewed = (int)await RedisScripts.Heartbeat.EvaluateAsync(redis.GetDatabase(), new
                    {
                        job = keys.Job(id),
                        stream = keys.Stream,
                        group = RedisKeys.Group,
                        entry = entryId,
                        worker = consumer,
                    });
                }
                catch (Exception e) when (StorageFailures.IsOutage(e))
                {
                    continue; // keep running; the claim is renewed once Redis answers again
                }
                if (lastRenewal.Elapsed > LongestGap)
                {
                    LongestGap = lastRenewal.Elapsed;
                }
                lastRenewal.Restart();
                if (renewed != 1)
                {
                    state = renewed == -1 ? State.Canceled : State.Lost;
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
}
