namespace SuperRes.Server.Jobs;

/// <summary>The bounded job queue (or the synchronous endpoint's slots) is full; the client should retry later.</summary>
public sealed class QueueFullException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
