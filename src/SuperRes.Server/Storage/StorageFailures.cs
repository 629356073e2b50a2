using StackExchange.Redis;

namespace SuperRes.Server.Storage;

/// <summary>Which storage failures are passing (Redis or the payload folder unreachable for a while) rather than refusals.</summary>
public static class StorageFailures
{
    /// <summary>Redis is down, slow or loading, or the payload folder failing: what was asked can be retried.</summary>
    public static bool IsUnavailable(Exception e) => e is RedisConnectionException or RedisTimeoutException or PayloadStoreUnavailableException
        || (e is RedisServerException r && r.Message.StartsWith("LOADING", StringComparison.Ordinal))
        || (e.InnerException is { } inner && IsUnavailable(inner));

    /// <summary>Redis refused to store a value (out of memory under noeviction).</summary>
    public static bool IsOutOfMemory(Exception e) => e is RedisServerException r && r.Message.Contains("OOM command not allowed", StringComparison.Ordinal);

    /// <summary>
    /// A failure worth waiting out: unavailable as above, or a script or group gone with Redis's data. Redis refusing a
    /// value (out of memory, too large) is not: retrying would recompute a job forever, so the job fails with the reason.
    /// </summary>
    public static bool IsOutage(Exception e) => IsUnavailable(e) || (e is RedisException && !IsRefusal(e));

    private static bool IsRefusal(Exception e) => IsOutOfMemory(e)
        || (e is RedisServerException r && r.Message.Contains("max", StringComparison.OrdinalIgnoreCase) && r.Message.Contains("bulk", StringComparison.OrdinalIgnoreCase));
}
