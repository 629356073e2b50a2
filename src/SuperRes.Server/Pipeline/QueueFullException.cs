namespace SuperRes.Server.Pipeline;

/// <summary>The bounded job queue (or the synchronous endpoint's slots) is full; the client should retry later.</summary>
public sealed class QueueFullException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>The job queue's refusal, the same from either queue.</summary>
    public static QueueFullException JobQueue(int capacity) =>
        new($"The job queue is full ({capacity} waiting); try again shortly.", TimeSpan.FromSeconds(5));

    /// <summary>One client's share of the queue is used up (its jobs wait already); others may still submit.</summary>
    public static QueueFullException Quota(int quota) =>
        new($"This client has {quota} jobs waiting already, its share of the queue; submit more as they start.", TimeSpan.FromSeconds(5));
}
