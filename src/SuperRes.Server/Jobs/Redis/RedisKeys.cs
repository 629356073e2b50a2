using StackExchange.Redis;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>The Redis names of one deployment, all under one prefix.</summary>
public sealed class RedisKeys(string prefix)
{
    public const string Group = "workers";

    private string Prefix { get; } = prefix;

    /// <summary>The stream of submitted jobs; workers read it through the consumer group <see cref="Group"/>.</summary>
    public RedisKey Stream => Prefix + "jobs";

    /// <summary>
    /// Jobs submitted and not yet started or canceled, the queue bound: a sorted set of job ids scored by the
    /// time their upload expires. A job whose hash expired or was evicted while queued falls out by its score,
    /// so no slot can leak (a plain counter would keep it forever).
    /// </summary>
    public RedisKey Waiting => Prefix + "queued";

    public RedisKey Job(string id) => Prefix + "job:" + id;

    /// <summary>One client's waiting jobs (its queue quota), like <see cref="Waiting"/>; the client is hashed into the name.</summary>
    public RedisKey ClientWaiting(string client) => Prefix + "queued:" + ResultKey.Hash(client)[..16];

    /// <summary>An Idempotency-Key's claim (the key is already scoped to its API key by the caller).</summary>
    public RedisKey Idempotency(string key) => Prefix + "idempotency:" + key;

    /// <summary>Pub/sub: a job id on every change of that job (progress, start, finish, cancel).</summary>
    public RedisChannel Changes => RedisChannel.Literal(Prefix + "changes");

    /// <summary>Pub/sub: a ping on every submit, so idle workers need not wait for their next poll.</summary>
    public RedisChannel Submitted => RedisChannel.Literal(Prefix + "submitted");

    public static string InputPayload(string id) => "input:" + id;
}
