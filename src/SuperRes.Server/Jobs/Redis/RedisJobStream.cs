using StackExchange.Redis;
using SuperRes.Imaging;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>
/// The worker's side of the shared stream: the consumer group, the next entry (a stalled one first, taken over
/// with XAUTOCLAIM once its worker has been silent longer than the lease), and acknowledging a finished one.
/// </summary>
public sealed class RedisJobStream(IConnectionMultiplexer redis, RedisKeys keys, QueueOptions options)
{
    /// <summary>This process's consumer name in the group (host, process id, a random suffix for restarts).</summary>
    public string Consumer { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    private IDatabase Db => redis.GetDatabase();

    public async Task<bool> EnsureGroupAsync()
    {
        try
        {
            // From the beginning: jobs submitted before any worker existed are read too.
            await Db.StreamCreateConsumerGroupAsync(keys.Stream, RedisKeys.Group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
        }
        return true;
    }

    /// <summary>A stalled entry first (its worker died), else a new one.</summary>
    public async Task<StreamEntry?> NextAsync()
    {
        var stalled = await Db.StreamAutoClaimAsync(keys.Stream, RedisKeys.Group, Consumer, (long)options.Lease.TotalMilliseconds, "0-0", 1);
        foreach (var gone in stalled.DeletedIds)
        {
            await Db.StreamAcknowledgeAsync(keys.Stream, RedisKeys.Group, gone);
        }
        if (stalled.ClaimedEntries is [var taken, ..])
        {
            return taken;
        }
        var fresh = await Db.StreamReadGroupAsync(keys.Stream, RedisKeys.Group, Consumer, StreamPosition.NewMessages, 1);
        return fresh is [var entry, ..] ? entry : null;
    }

    public async Task<bool> AcknowledgeAsync(RedisValue entryId)
    {
        await Db.StreamAcknowledgeAsync(keys.Stream, RedisKeys.Group, entryId);
        await Db.StreamDeleteAsync(keys.Stream, [entryId]);
        return true;
    }

    public static UpscaleParameters Parameters(StreamEntry entry)
    {
        var format = entry["format"].ToString();
        return new UpscaleParameters(entry["model"].ToString(), (int)entry["scale"],
            format.Length == 0 ? null : Enum.Parse<ImageFormat>(format), (int)entry["quality"], entry["tenant"].ToString(), entry["ensemble"] == 1,
            Restore: Restoration.Restore.Parse(entry["restore"].ToString(), out _) ?? Restoration.Restore.Auto,
            Colour: ColourModes.Parse(entry["colour"].ToString()) ?? ColourMode.Keep);
    }
}
