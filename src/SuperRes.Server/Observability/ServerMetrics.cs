using System.Diagnostics.Metrics;

namespace SuperRes.Server.Observability;

/// <summary>
/// The service's own numbers, on a <see cref="Meter"/> from the host's <see cref="IMeterFactory"/>: each host (and
/// each test server in one process) counts on its own, and <see cref="PrometheusExport"/> shows them on /metrics.
/// Instrument names become Prometheus names with the meter's name in front ("jobs_total" → superres_jobs_total).
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "superres";
    public const string InferenceSecondsName = "inference_seconds";

    private readonly Meter meter;
    private readonly Counter<long> rejected;
    private readonly Counter<long> jobs;
    private readonly Counter<long> cacheLookups;
    private readonly Counter<long> webhookDeliveries;
    private readonly Histogram<double> inferenceSeconds;
    private long queueDepth;

    public ServerMetrics(IMeterFactory meters)
    {
        meter = meters.Create(MeterName);
        rejected = meter.CreateCounter<long>("rejected_total", description: "Requests turned away by a limit.");
        jobs = meter.CreateCounter<long>("jobs_total", description: "Finished jobs by outcome.");
        cacheLookups = meter.CreateCounter<long>("cache_lookups_total", description: "Result cache lookups.");
        webhookDeliveries = meter.CreateCounter<long>("webhook_deliveries_total",
            description: "Webhook deliveries by outcome: delivered, failed (attempts used up), refused (internal address), dropped (backlog full).");
        inferenceSeconds = meter.CreateHistogram<double>(InferenceSecondsName, unit: "s", description: "Model time per image (tiles, engine, blending).");
        meter.CreateObservableGauge("queue_depth", () => Volatile.Read(ref queueDepth), description: "Jobs waiting to run.");
    }

    /// <summary>Prometheus buckets per histogram: model time spans 10 ms to a few minutes.</summary>
    public static double[]? BucketsFor(Instrument instrument) =>
        instrument.Name == InferenceSecondsName ? Prometheus.Histogram.ExponentialBuckets(0.01, 2, 14) : null;

    public void Rejected(string reason) => rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void JobEnded(string status) => jobs.Add(1, new KeyValuePair<string, object?>("status", status));

    public void CacheLookup(bool hit) => cacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public void WebhookDelivery(string outcome) => webhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Inference(string model, int scale, TimeSpan time) =>
        inferenceSeconds.Record(time.TotalSeconds, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("scale", $"x{scale}"));

    /// <summary>The queue's length as its owner last saw it (a Redis queue learns it only when it is asked).</summary>
    public void QueueDepth(long depth) => Volatile.Write(ref queueDepth, depth);

    /// <summary>A gauge read from its owner at every scrape (memory budget, disk use), so it can never go stale.</summary>
    public void Observe(string name, string description, Func<long> read) => meter.CreateObservableGauge(name, read, description: description);

    /// <summary>Each loaded model's load time and engine initialisations, read from the upscaler at every scrape.</summary>
    public void TrackModels(Upscaler upscaler)
    {
        meter.CreateObservableGauge("model_load_seconds", () => upscaler.Loaded.Select(l => new Measurement<double>(l.LoadTime.TotalSeconds, Labels(l))),
            unit: "s", description: "Time to load each model.");
        meter.CreateObservableGauge("engine_initializations", () => upscaler.Loaded.Select(l => new Measurement<long>(l.Pool.Initializations, Labels(l))),
            description: "Times each loaded model's engines prepared for an input shape; one per engine when every tile has one shape.");
    }

    private static KeyValuePair<string, object?>[] Labels(LoadedModel loaded) =>
    [
        new("model", loaded.Model.Name),
        new("scale", $"x{loaded.Model.Scale}"),
        new("engine", loaded.Engine.ToString()),
    ];
}
