using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SuperRes.Server.Jobs;

/// <summary>Expires finished jobs and their results after <see cref="ServerOptions.JobTimeToLive"/>.</summary>
public sealed class JobSweeper(JobStore store, IOptions<ServerOptions> options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            store.Sweep();
        }
    }
}
