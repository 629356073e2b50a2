using System.Collections.Concurrent;
using StackExchange.Redis;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>
/// One subscription per node to the change channel, fanned out to the event streams open on this node:
/// a worker on any machine publishes, every API node's watchers of that job wake up.
/// </summary>
public sealed class JobChangeHub
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> waiting = new(StringComparer.Ordinal);
    private readonly IConnectionMultiplexer redis;
    private readonly RedisKeys keys;
    private int subscribed;

    public JobChangeHub(IConnectionMultiplexer redis, RedisKeys keys)
    {
        this.redis = redis;
        this.keys = keys;
    }

    /// <summary>Completes at the next change of the job, or after <paramref name="timeout"/> (a message lost while reconnecting must not stall a watcher).</summary>
    public async Task WaitAsync(string id, TimeSpan timeout, CancellationToken ct)
    {
        await EnsureSubscribedAsync().ConfigureAwait(false);
        var signal = waiting.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await signal.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Re-read the job anyway.
        }
    }

    private async Task EnsureSubscribedAsync()
    {
        if (Interlocked.Exchange(ref subscribed, 1) == 0)
        {
            try
            {
                // StackExchange.Redis renews the subscription by itself after a reconnect.
                await redis.GetSubscriber().SubscribeAsync(keys.Changes, (_, message) =>
                {
                    if (waiting.TryRemove(message.ToString(), out var signal))
                    {
                        signal.TrySetResult();
                    }
                }).ConfigureAwait(false);
            }
            catch
            {
                Volatile.Write(ref subscribed, 0);
                throw;
            }
        }
    }
}
