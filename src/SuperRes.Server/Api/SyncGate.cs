using Microsoft.Extensions.Options;
using SuperRes.Server.Jobs;
using SuperRes.Server.Observability;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Api;

/// <summary>Bounds the synchronous endpoint: past <see cref="ServerOptions.SyncConcurrency"/> requests at once, the next gets 429.</summary>
public sealed class SyncGate(IOptions<ServerOptions> options, ServerMetrics metrics)
{
    private readonly SemaphoreSlim slots = new(options.Value.Limits.SyncConcurrency);

    public IDisposable Enter()
    {
        if (!slots.Wait(0))
        {
            metrics.Rejected("sync_busy");
            throw new QueueFullException("The server is upscaling as many images synchronously as it may; retry shortly or use the job API.", TimeSpan.FromSeconds(2));
        }
        return new Slot(slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
