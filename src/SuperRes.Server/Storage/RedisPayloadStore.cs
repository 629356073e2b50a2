using StackExchange.Redis;

namespace SuperRes.Server.Storage;

/// <summary>
/// Payloads as Redis strings with an expiry (the default: nothing else to share between nodes). Values past
/// <paramref name="maxBytes"/> are refused before they are sent: one huge string would stall the shared
/// connection for every other request, and Redis may refuse it anyway (proto-max-bulk-len, maxmemory).
/// </summary>
public sealed class RedisPayloadStore(IConnectionMultiplexer redis, string prefix, long maxBytes) : IPayloadStore
{
    private IDatabase Db => redis.GetDatabase();

    public Task PutAsync(string key, ReadOnlyMemory<byte> data, TimeSpan timeToLive, CancellationToken ct)
    {
        if ((long)data.Length > maxBytes)
        {
            throw new PayloadTooLargeException(
                $"The image is {(long)data.Length / 1048576.0:0.#} MB, more than Redis is given here ({maxBytes / 1048576.0:0.#} MB, Queue:MaxRedisValueBytes); the server needs a shared Queue:PayloadDirectory for images this large.");
        }
        return Db.StringSetAsync(prefix + key, data, timeToLive);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken ct) => (byte[]?)await Db.StringGetAsync(prefix + key);

    /// <summary>Read in 1 MB ranges as the stream is read, so a result on its way to a client is never whole in memory here.</summary>
    public async Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        long length = await Db.StringLengthAsync(prefix + key);
        return length == 0 ? null : new RedisRangeStream(Db, prefix + key, length);
    }

    public Task DeleteAsync(string key, CancellationToken ct) => Db.KeyDeleteAsync(prefix + key);
}
