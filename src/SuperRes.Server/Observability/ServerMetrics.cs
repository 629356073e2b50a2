using Prometheus;

namespace SuperRes.Server.Observability;

/// <summary>The service's own Prometheus metrics (HTTP request counts and latency come from prometheus-net's middleware).</summary>
public static class ServerMetrics
{
    public static readonly Gauge QueueDepth = Metrics.CreateGauge("superres_queue_depth", "Jobs waiting to run.");

    public static readonly Counter CacheLookups = Metrics.CreateCounter("superres_cache_lookups_total", "Result cache lookups.", "result");

    public static readonly Gauge CacheBytes = Metrics.CreateGauge("superres_cache_bytes", "Bytes held by the result cache.");

    public static readonly Gauge ModelLoadSeconds = Metrics.CreateGauge("superres_model_load_seconds", "Time to load each model at start-up.", "model", "scale", "engine");

    public static readonly Histogram InferenceSeconds = Metrics.CreateHistogram("superres_inference_seconds", "Model time per image (tiles, engine, blending).",
        new HistogramConfiguration { LabelNames = ["model", "scale"], Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });

    public static readonly Counter Jobs = Metrics.CreateCounter("superres_jobs_total", "Finished jobs by outcome.", "status");

    public static readonly Gauge MemoryBudget = Metrics.CreateGauge("superres_memory_budget_bytes", "Bytes the images in progress may reserve in all.");

    public static readonly Gauge MemoryInUse = Metrics.CreateGauge("superres_memory_reserved_bytes", "Bytes reserved by images in progress (their estimated peak).");

    public static readonly Gauge JobResultBytes = Metrics.CreateGauge("superres_job_result_bytes", "Bytes of finished jobs' results kept on disk.");

    public static readonly Gauge EngineInitializations = Metrics.CreateGauge("superres_engine_initializations",
        "Times each loaded model's engines prepared for an input shape; one per engine when every tile has one shape.", "model", "scale", "engine");

    /// <summary>Reads the loaded models' engine counters at every scrape.</summary>
    public static void TrackEngines(Upscaler upscaler) => Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
    {
        foreach (var loaded in upscaler.Loaded)
        {
            EngineInitializations.WithLabels(loaded.Model.Name, $"x{loaded.Model.Scale}", loaded.Engine.ToString()).Set(loaded.Pool.Initializations);
        }
    });

    public static readonly Counter WebhookDeliveries = Metrics.CreateCounter("superres_webhook_deliveries_total",
        "Webhook deliveries by outcome: delivered, failed (attempts used up), refused (internal address), dropped (backlog full).", "outcome");

    public static readonly Counter Rejected = Metrics.CreateCounter("superres_rejected_total", "Requests turned away by a limit.", "reason");
}
