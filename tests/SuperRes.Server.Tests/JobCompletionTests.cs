using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SuperRes.Server.Api;
using SuperRes.Server.Jobs;
using SuperRes.Server.Jobs.Webhooks;
using SuperRes.Server.Observability;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Tests;

/// <summary>The one completion point: a job ends once, and only the call that ended it is counted.</summary>
public class JobCompletionTests
{
    [Fact]
    public async Task A_job_ends_once_whoever_tries_and_is_counted_once()
    {
        using var folder = new TempFolder();
        var options = Options.Create(new ServerOptions());
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var metrics = new ServerMetrics(meters);
        using var ended = new MetricCollector<long>(meters, ServerMetrics.MeterName, "jobs_total");
        using var files = new BoundedFileStore(folder.Path, new StoreLimits(0, 1 << 20, 1 << 20));
        var store = new InProcessJobQueue(options, TimeProvider.System, files, metrics);
        using var webhooks = new WebhookDispatcher(store, options, Options.Create(new Microsoft.AspNetCore.Http.Json.JsonOptions()), TimeProvider.System, metrics,
            NullLogger<WebhookDispatcher>.Instance);
        var completion = new JobCompletion(store, store, webhooks, new ProblemMapping.JobFailures(), metrics, NullLogger<JobCompletion>.Instance);
        var job = await store.SubmitAsync(new JobRequest(new UpscaleParameters("superres-edsr", 3, null, 95)), [1, 2, 3],
            new Admission(new SuperRes.Imaging.ImageHeader(SuperRes.Imaging.ImageFormat.Png, 1, 1), 0), CancellationToken.None);

        // Canceled while it waits (no worker runs here): the cancel ends it, and it leaves the queue.
        Assert.True(await completion.EndAsync(job.Id, JobEnding.Canceled(0), CancellationToken.None));
        Assert.Equal(0, store.QueueDepth);
        // A second cancel, or a worker's late failure, changes nothing and counts nothing.
        Assert.False(await completion.EndAsync(job.Id, JobEnding.Canceled(0), CancellationToken.None));
        Assert.False(await completion.EndAsync(job.Id, JobEnding.Failed("late", 500), CancellationToken.None));
        Assert.False(await completion.EndAsync("no-such-job", JobEnding.Canceled(0), CancellationToken.None));

        // Counted once, as canceled (this server's own meter: other tests' servers count elsewhere).
        var counted = ended.GetMeasurementSnapshot();
        Assert.Equal(["canceled"], counted.Select(m => (string?)m.Tags["status"]));
        Assert.Equal(1, counted.Single().Value);
        var after = await store.FindAsync(job.Id, CancellationToken.None);
        Assert.Equal((JobStatus.Canceled, JobEnding.CanceledMessage), (after!.Status, after.Error));
    }
}
