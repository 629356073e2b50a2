using StackExchange.Redis;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>
/// Every change of a job's state is one Lua script, so it is atomic across nodes: a job starts once, leaves
/// the waiting count once, and reaches a final state once (the first of a finish and a cancel wins, and a
/// second run after a takeover cannot report again).
/// </summary>
public static class RedisScripts
{
    /// <summary>KEYS: waiting, job, stream. ARGV: capacity, ttl s, id, model, scale, format, quality, created, input key, tenant, ensemble, restore, colour, webhook and its events, now and expiry (ms), the client's own waiting set and quota. 1 = queued, 0 = full, 2 = the client's quota is used up, 3 = Redis is nearly
    /// out of memory: new jobs are refused while a tenth of maxmemory is left, so the jobs already queued can still start
    /// and finish (with noeviction, a full Redis refuses every write, those too).</summary>
    public static readonly LuaScript Submit = LuaScript.Prepare("""
        local memory = redis.call('INFO', 'memory')
        local used = tonumber(string.match(memory, 'used_memory:(%d+)'))
        local limit = tonumber(string.match(memory, 'maxmemory:(%d+)'))
        if limit and limit > 0 and used > limit * 0.9 then return 3 end
        redis.call('ZREMRANGEBYSCORE', @waiting, '-inf', @now)
        redis.call('ZREMRANGEBYSCORE', @clientWaiting, '-inf', @now)
        if redis.call('ZCARD', @waiting) >= tonumber(@capacity) then return 0 end
        if redis.call('ZCARD', @clientWaiting) >= tonumber(@quota) then return 2 end
        redis.call('ZADD', @waiting, @expires, @id)
        redis.call('ZADD', @clientWaiting, @expires, @id)
        redis.call('EXPIRE', @clientWaiting, @ttl)
        redis.call('HSET', @job, 'status', 'queued', 'model', @model, 'scale', @scale, 'format', @format, 'quality', @quality,
            'created', @created, 'input', @input, 'progress', '0', 'attempts', '0', 'webhook', @webhook, 'webhookEvents', @webhookEvents,
            'owner', @tenant, 'clientWaiting', @clientWaiting)
        redis.call('EXPIRE', @job, @ttl)
        redis.call('XADD', @stream, '*', 'id', @id, 'model', @model, 'scale', @scale, 'format', @format, 'quality', @quality, 'input', @input,
            'tenant', @tenant, 'ensemble', @ensemble, 'restore', @restore, 'colour', @colour)
        return 1
        """);

    /// <summary>
    /// 1 = started now, 2 = taken over from a worker that went silent, 3 = given up (it has been started
    /// maxAttempts times: it kills its workers) and marked failed, 0 = nothing to run (finished, canceled or expired).
    /// </summary>
    public static readonly LuaScript Start = LuaScript.Prepare("""
        redis.call('ZREM', @waiting, @id)
        local clientWaiting = redis.call('HGET', @job, 'clientWaiting')
        if clientWaiting then redis.call('ZREM', clientWaiting, @id) end
        local status = redis.call('HGET', @job, 'status')
        if status == 'queued' then
            redis.call('HSET', @job, 'status', 'running', 'started', @now, 'worker', @worker, 'attempts', '1')
            redis.call('PUBLISH', @changes, @id)
            return 1
        elseif status == 'running' then
            if tonumber(redis.call('HGET', @job, 'attempts') or '0') >= tonumber(@maxAttempts) then
                redis.call('HSET', @job, 'status', 'failed', 'finished', @now, 'error', @poisonError, 'errorStatus', '422')
                redis.call('EXPIRE', @job, @ttl)
                redis.call('PUBLISH', @changes, @id)
                return 3
            end
            redis.call('HSET', @job, 'worker', @worker)
            redis.call('HINCRBY', @job, 'attempts', 1)
            redis.call('PUBLISH', @changes, @id)
            return 2
        end
        return 0
        """);

    /// <summary>Raises progress, only while this worker runs the job. 1 = recorded.</summary>
    public static readonly LuaScript Progress = LuaScript.Prepare("""
        if redis.call('HGET', @job, 'status') ~= 'running' or redis.call('HGET', @job, 'worker') ~= @worker then return 0 end
        if tonumber(@progress) <= tonumber(redis.call('HGET', @job, 'progress') or '0') then return 0 end
        redis.call('HSET', @job, 'progress', @progress)
        redis.call('PUBLISH', @changes, @id)
        return 1
        """);

    /// <summary>
    /// Renews this worker's claim on its stream entry (resets its idle time) if it still owns it. 1 = renewed,
    /// 0 = another worker took the job over, -1 = the job was canceled.
    /// </summary>
    public static readonly LuaScript Heartbeat = LuaScript.Prepare("""
        if redis.call('HGET', @job, 'status') == 'canceled' then return -1 end
        local pending = redis.call('XPENDING', @stream, @group, @entry, @entry, 1)
        if #pending == 0 or pending[1][2] ~= @worker then return 0 end
        redis.call('XCLAIM', @stream, @group, @worker, 0, @entry, 'JUSTID')
        return 1
        """);

    /// <summary>
    /// Moves a queued or running job to its final state with the given fields and sets the job's expiry
    /// (the worker deletes the input once it has acknowledged the entry). 1 = done now, 0 = it was already final (a second run or a cancel got there first).
    /// </summary>
    public static readonly LuaScript Finish = LuaScript.Prepare("""
        local status = redis.call('HGET', @job, 'status')
        if status ~= 'queued' and status ~= 'running' then return 0 end
        redis.call('HSET', @job, 'status', @final, 'finished', @now, 'progress', @progress, 'error', @error, 'errorStatus', @errorStatus,
            'result', @result, 'mediaType', @mediaType, 'extension', @extension, 'cacheHit', @cacheHit,
            'restoreStrength', @restoreStrength, 'restoreBasis', @restoreBasis, 'restoreAuto', @restoreAuto, 'warning', @warning)
        if status == 'queued' then
            redis.call('ZREM', @waiting, @id)
            local clientWaiting = redis.call('HGET', @job, 'clientWaiting')
            if clientWaiting then redis.call('ZREM', clientWaiting, @id) end
        end
        redis.call('EXPIRE', @job, @ttl)
        redis.call('PUBLISH', @changes, @id)
        return 1
        """);

    /// <summary>Records a webhook delivery's outcome on a job that still exists, and tells its watchers.</summary>
    public static readonly LuaScript RecordWebhook = LuaScript.Prepare("""
        if redis.call('EXISTS', @job) == 0 then return 0 end
        redis.call('HSET', @job, 'webhookStatus', @status, 'webhookAttempts', @attempts, 'webhookDetail', @detail)
        redis.call('PUBLISH', @changes, @id)
        return 1
        """);
}
