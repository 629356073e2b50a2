using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Jobs;

/// <summary>Every <see cref="ServerOptions.SweepInterval"/>, drops expired jobs, results and payloads (Redis expires its own keys).</summary>
public sealed class JobSweeper(IEnumerable<ISweeper> sweepers, IOptions<ServerOptions> options, TimeProvider clock, ILogger<JobSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Jobs.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var sweeper in sweepers)
            {
                try
                {
                    sweeper.Sweep();
                }
                catch (Exception e)
                {
                    // A sweep that fails (a storage outage) is tried again next tick; it must not stop the host.
                    log.LogError(e, "Sweeping {Sweeper} failed", sweeper.GetType().Name);
                }
            }
        }
    }
}
