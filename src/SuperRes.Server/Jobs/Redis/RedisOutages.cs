using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>Which failures a worker waits out (Redis or the payload folder gone for a while), and the waiting.</summary>
public static class RedisOutages
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An outage worth waiting out: Redis unreachable, slow or loading, a script or group gone with its data,
    /// or the payload folder failing. Redis refusing a value (out of memory, too large) is not: retrying would
    /// recompute the job forever, so that job fails with the reason instead.
    /// </summary>
    public static bool IsOutage(Exception e) =>
        ProblemMapping.IsUnavailable(e) || (e is RedisException && !IsRefusal(e));

    private static bool IsRefusal(Exception e) => e is RedisServerException r
        && (r.Message.Contains("OOM command not allowed", StringComparison.Ordinal) || r.Message.Contains("max", StringComparison.OrdinalIgnoreCase) && r.Message.Contains("bulk", StringComparison.OrdinalIgnoreCase));

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
            catch (Exception e) when (IsOutage(e) && !stop.IsCancellationRequested)
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
