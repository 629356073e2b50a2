using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SuperRes.Models.Tools;
using SuperRes.Server.Api;
using SuperRes.Server.Jobs;
using SuperRes.Server.Jobs.Idempotency;
using SuperRes.Server.Jobs.Redis;
using SuperRes.Server.Observability;
using SuperRes.Server.Pipeline;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Hosting;

/// <summary>The services every SuperRes process needs, chosen by queue (in-process or Redis) and role.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddSuperRes(this IServiceCollection services, ServerOptions options)
    {
        if (!options.Queue.Enabled && options.Role != NodeRole.All)
        {
            throw new ServerConfigurationException($"The {options.Role.ToString().ToLowerInvariant()} role needs a shared queue: set SuperRes:Queue:Redis (environment SUPERRES__Queue__Redis) to a Redis connection string.");
        }
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics(); // IMeterFactory: each host counts on its own meter
        services.AddSingleton<Observability.ServerMetrics>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
            return new Upscaler(new UpscalerOptions
            {
                ModelStore = o.ModelStore,
                Engine = o.Engine,
                Precision = o.Precision,
                ModelPrecision = new Dictionary<string, Models.Quantization.Precision>(o.ModelPrecision, StringComparer.OrdinalIgnoreCase),
                Threads = o.Threads,
                TileSize = o.TileSize,
                QuantizeMixes = o.QuantizeMixes,
                Workshop = new ModelWorkshop(), // catalog models are pulled on first use
            });
        });
        services.AddSingleton<UpscaleService>();
        services.AddSingleton<JobCompletion>(); // every job ends here, whichever queue (registered below) holds it
        services.AddSingleton<IFailureDescriptions, ProblemMapping.JobFailures>(); // how a failure reads: the API's own mapping
        services.AddSingleton<Jobs.Webhooks.WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<Jobs.Webhooks.WebhookDispatcher>());
        services.AddSingleton<MemoryBudget>();
        services.AddSingleton(_ =>
        {
            var readiness = new Readiness();
            if (options.Role == NodeRole.Api)
            {
                readiness.MarkReady(); // nothing to preload: API nodes load a model only if a synchronous request needs it
            }
            return readiness;
        });
        services.AddSuperResHealthChecks();
        services.AddHostedService<JobSweeper>();
        if (options.Role != NodeRole.Api)
        {
            services.AddHostedService<ModelPreloader>();
        }
        return options.Queue.Enabled ? services.AddRedisQueue(options) : services.AddInProcessQueue();
    }

    private static IServiceCollection AddInProcessQueue(this IServiceCollection services)
    {
        // One folder of result files: the cache's loose entries and the finished jobs' held ones.
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
            var folder = o.Cache.Directory ?? Path.Combine(Path.GetDirectoryName(new Models.ModelStore(o.ModelStore).Root)!, "results");
            var files = new BoundedFileStore(folder, new StoreLimits(o.Cache.MaxBytes, o.Jobs.ResultsMaxBytes, o.ResultBytesPerClient));
            var metrics = sp.GetRequiredService<ServerMetrics>();
            metrics.Observe("cache_bytes", "Bytes held by the result cache (results no job holds).", () => files.LooseBytes);
            metrics.Observe("job_result_bytes", "Bytes of finished jobs' results, counted once per job.", () => files.HeldBytes);
            return files;
        });
        services.AddSingleton<IResultCache, DiskResultCache>();
        services.AddSingleton<InProcessIdempotencyStore>();
        services.AddSingleton<IIdempotencyStore>(sp => sp.GetRequiredService<InProcessIdempotencyStore>());
        services.AddSingleton<ISweeper>(sp => sp.GetRequiredService<InProcessIdempotencyStore>());
        services.AddSingleton<InProcessJobQueue>();
        services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<InProcessJobQueue>());
        services.AddSingleton<IJobEndStore>(sp => sp.GetRequiredService<InProcessJobQueue>());
        services.AddSingleton<ISweeper>(sp => sp.GetRequiredService<InProcessJobQueue>());
        services.AddHostedService<JobWorker>();
        return services;
    }

    private static IServiceCollection AddRedisQueue(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton<IConnectionMultiplexer>(sp => Connect(options.Queue.Redis!, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(new RedisKeys(options.Queue.KeyPrefix));
        if (options.Queue.PayloadDirectory is { } folder)
        {
            services.AddSingleton(sp => new DirectoryPayloadStore(folder, sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IPayloadStore>(sp => sp.GetRequiredService<DirectoryPayloadStore>());
            services.AddSingleton<ISweeper>(sp => sp.GetRequiredService<DirectoryPayloadStore>());
        }
        else
        {
            services.AddSingleton<IPayloadStore>(sp => new RedisPayloadStore(sp.GetRequiredService<IConnectionMultiplexer>(), options.Queue.KeyPrefix, options.Queue.MaxRedisValueBytes));
        }
        services.AddSingleton<SharedResultCache>();
        services.AddSingleton<IResultCache>(sp => sp.GetRequiredService<SharedResultCache>());
        services.AddSingleton<JobChangeHub>();
        services.AddSingleton<IIdempotencyStore, RedisIdempotencyStore>();
        services.AddSingleton<RedisJobQueue>();
        services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<RedisJobQueue>());
        services.AddSingleton<IJobEndStore>(sp => sp.GetRequiredService<RedisJobQueue>());
        if (options.Role != NodeRole.Api)
        {
            services.AddHostedService<RedisJobWorker>();
        }
        return services;
    }

    /// <summary>
    /// Never blocks start-up on Redis: the multiplexer connects (and reconnects, with exponential back-off) in
    /// the background, and while it is down commands fail at once (503 from the API) instead of queueing.
    /// </summary>
    private static ConnectionMultiplexer Connect(string connection, ILoggerFactory logs)
    {
        var config = ConfigurationOptions.Parse(connection);
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = Math.Min(config.ConnectTimeout, 3000);
        config.AsyncTimeout = Math.Min(config.AsyncTimeout, 3000);
        config.SyncTimeout = Math.Min(config.SyncTimeout, 3000);
        config.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
        config.ClientName ??= $"superres-{Environment.MachineName}-{Environment.ProcessId}";
        config.LoggerFactory = logs;
        return ConnectionMultiplexer.Connect(config);
    }
}
