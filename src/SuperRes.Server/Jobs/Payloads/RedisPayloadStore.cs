using StackExchange.Redis;

namespace SuperRes.Server.Jobs.Payloads;

/// <summary>Payloads as Redis strings with an expiry (the default: nothing else to share between nodes).</summary>
public sealed class RedisPayloadStore(IConnectionMultiplexer redis, string prefix) : IPayloadStore
{
    private IDatabase Db => redis.GetDatabase();

    public Task PutAsync(string key, byte[] data, TimeSpan timeToLive, CancellationToken ct) =>
        Db.StringSetAsync(prefix + key, data, timeToLive);

    public async Task<byte[]?> GetAsync(string key, CancellationToken ct) => (byte[]?)await Db.StringGetAsync(prefix + key);

    public Task DeleteAsync(string key, CancellationToken ct) => Db.KeyDeleteAsync(prefix + key);
}
