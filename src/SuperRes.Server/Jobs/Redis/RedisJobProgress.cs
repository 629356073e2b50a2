using StackExchange.Redis;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs.Redis;

/// <summary>
/// A running job's progress into Redis, at most once per percent so a many-tile job does not flood it, and to
/// the job's webhook once per tenth when it asked for progress events.
/// </summary>
public sealed class RedisJobProgress(IConnectionMultiplexer redis, RedisKeys keys, RedisJobQueue queue, Webhooks.WebhookDispatcher webhooks,
    string consumer, string id, bool webhookWantsProgress) : IProgress<UpscaleProgress>
{
    private readonly Webhooks.ProgressTenths? tenths = webhookWantsProgress ? new Webhooks.ProgressTenths() : null;
    private double last = -1;

    public void Report(UpscaleProgress value)
    {
        double f = value.Fraction;
        if (f >= 1 || f - Volatile.Read(ref last) >= 0.01)
        {
            Volatile.Write(ref last, f);
            _ = RecordAsync(f);
        }
    }

    private async Task RecordAsync(double fraction)
    {
        try
        {
            if (tenths?.Crossed(fraction) == true && await queue.FindAsync(id, CancellationToken.None) is { Webhook: not null } job)
            {
                webhooks.Notify(job with { Progress = Math.Round(fraction, 4) }, "progress");
            }
            await RedisScripts.Progress.EvaluateAsync(redis.GetDatabase(), new
            {
                job = keys.Job(id),
                id,
                worker = consumer,
                progress = fraction.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
                changes = (RedisValue)keys.Changes.ToString(),
            });
        }
        catch (Exception e) when (StorageFailures.IsOutage(e))
        {
            // Progress is advisory: a lost update is replaced by the next one.
        }
    }
}
