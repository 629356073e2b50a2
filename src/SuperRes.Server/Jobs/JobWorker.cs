using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SuperRes.Server.Observability;

namespace SuperRes.Server.Jobs;

/// <summary>Runs queued jobs, <see cref="ServerOptions.Workers"/> at a time, through the shared upscaler.</summary>
public sealed class JobWorker(JobStore store, UpscaleService upscale, IOptions<ServerOptions> options, TimeProvider clock, ILogger<JobWorker> log)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Workers)).Select(_ => RunLoop(stoppingToken)));

    private async Task RunLoop(CancellationToken stoppingToken)
    {
        await foreach (var job in store.Reader.ReadAllAsync(stoppingToken))
        {
            if (!store.TryStart(job))
            {
                continue; // canceled while queued
            }
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, job.Cancellation.Token);
            try
            {
                var progress = new Progress<UpscaleProgress>(p => job.ReportProgress(p.Fraction));
                var result = await upscale.RunAsync(job.Input!, job.Parameters, progress, linked.Token, waitForMemory: true);
                store.Succeed(job, result);
                ServerMetrics.Jobs.WithLabels("succeeded").Inc();
            }
            catch (OperationCanceledException) when (job.Cancellation.IsCancellationRequested)
            {
                ServerMetrics.Jobs.WithLabels("canceled").Inc();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                var problem = ProblemMapping.For(e);
                if (problem.Status >= 500)
                {
                    log.LogError(e, "Job {Id} failed", job.Id);
                }
                job.Fail(problem.Detail, problem.Status, clock.GetUtcNow());
                ServerMetrics.Jobs.WithLabels("failed").Inc();
            }
        }
    }
}
