namespace SuperRes.Server.Jobs;

/// <summary>The bounded job queue (or the synchronous endpoint's slots) is full; the client should retry later.</summary>
public sealed class QueueFullException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>The job queue's refusal, the same from either queue.</summary>
    public static QueueFullException JobQueue(int capacity) =>
        new($"The job queue is full ({capacity} waiting); try again shortly.", TimeSpan.FromSeconds(5));
}
