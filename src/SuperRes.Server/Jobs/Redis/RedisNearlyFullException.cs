namespace SuperRes.Server.Jobs.Redis;

/// <summary>Redis has less than a tenth of its maxmemory left: new jobs wait, so that queued ones can still run.</summary>
public sealed class RedisNearlyFullException()
    : Exception("Redis is nearly out of memory: new jobs are refused until queued ones finish; give it more maxmemory or set Queue:PayloadDirectory.");
