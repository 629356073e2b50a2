using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Jobs;

/// <summary>Runs queued jobs, <see cref="ServerOptions.Workers"/> at a time, through the shared upscaler.</summary>
public sealed class JobWorker(InProcessJobQueue store, JobCompletion completion, UpscaleService upscale, Webhooks.WebhookDispatcher webhooks, IOptions<ServerOptions> options)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Jobs.Workers).Select(_ => RunLoop(stoppingToken)));

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
                var tenths = new Webhooks.ProgressTenths();
                var progress = new Progress<UpscaleProgress>(p =>
                {
                    job.ReportProgress(p.Fraction);
                    if (job.Webhook is not null && tenths.Crossed(p.Fraction))
                    {
                        webhooks.Notify(job.Snapshot(), "progress");
                    }
                });
                var result = await upscale.RunAsync(job.Input!, job.Parameters, job.Admission, progress, linked.Token);
                await completion.EndAsync(job.Id, JobEnding.Succeeded(result), stoppingToken);
            }
            catch (OperationCanceledException) when (job.Cancellation.IsCancellationRequested)
            {
                // The cancel ended the job already, through the completion point.
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                await completion.FailAsync(job.Id, e, stoppingToken);
            }
        }
    }
}
