using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>Waiting out storage outages (<see cref="StorageFailures.IsOutage"/>): Redis or the payload folder gone for a while.</summary>
public static class RedisOutages
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>Retries an operation through outages with exponential back-off, until it succeeds or the host stops.</summary>
    public static async Task<T> PersistentlyAsync<T>(Func<Task<T>> operation, ILogger log, CancellationToken stop)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await operation();
            }
            catch (Exception e) when (StorageFailures.IsOutage(e) && !stop.IsCancellationRequested)
            {
                log.LogWarning("Redis unavailable ({Reason}); retrying in {Delay:0.0} s", e.Message, backoff.TotalSeconds);
                await Task.Delay(backoff, stop);
                backoff = Longer(backoff);
            }
        }
    }

    /// <summary>The next wait: twice the last, at most <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Longer(TimeSpan backoff) => backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
}
