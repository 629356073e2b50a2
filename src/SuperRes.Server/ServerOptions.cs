using System.ComponentModel.DataAnnotations;
using SuperRes.Imaging;
using SuperRes.Inference;
using SuperRes.Models.Quantization;
using SuperRes.Server.Jobs;

namespace SuperRes.Server;

/// <summary>Service settings, bound from the "SuperRes" configuration section (environment: SUPERRES__Key).</summary>
public sealed class ServerOptions : IValidatableObject
{
    public const string Section = "SuperRes";

    /// <summary>Models to load at start-up as "name" or "name:scale"; empty = the default model at the default scale.</summary>
    public List<string> Preload { get; set; } = [];

    public string? DefaultModel { get; set; }

    [Range(2, 8)]
    public int DefaultScale { get; set; } = 3;

    /// <summary>Model store folder; null = SUPERRES_MODELS or the user cache folder.</summary>
    public string? ModelStore { get; set; }

    public EngineKind Engine { get; set; } = EngineKind.Auto;

    /// <summary>Key that signs webhook deliveries (HMAC-SHA256); webhooks are off without one. Every node of a scale-out needs the same.</summary>
    [MinLength(16)]
    public string? WebhookSecret { get; set; }

    /// <summary>Hosts a webhook may reach although they resolve to loopback, private or link-local addresses.</summary>
    public List<string> AllowedWebhookHosts { get; set; } = [];

    [Range(1, 20)]
    public int WebhookMaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; each later one waits twice as long.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>No retry starts later than this after the first attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan WebhookMaxRetryTime { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Arithmetic for models without an entry in <see cref="ModelPrecision"/> (auto: int8 where a checked copy exists and the CPU has VNNI).</summary>
    public Precision Precision { get; set; } = Precision.Auto;

    /// <summary>Per model name, e.g. SuperRes:ModelPrecision:esrgan-thick=int8.</summary>
    public Dictionary<string, Precision> ModelPrecision { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Cores for inference; 0 = all.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    [Range(0, 4096)]
    public int TileSize { get; set; } = 128;

    /// <summary>Largest upload accepted (413 above it).</summary>
    [Range(1L, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Largest decoded image, checked from the header before decoding; 0 = no limit.</summary>
    [Range(0.0, 1e6)]
    public double MaxMegapixels { get; set; } = 16;

    /// <summary>Reject (422) or Downscale inputs above <see cref="MaxMegapixels"/>.</summary>
    public OversizePolicy Oversize { get; set; } = OversizePolicy.Reject;

    /// <summary>Decoded inputs above this are shrunk before they are considered (Oversize=Downscale); 0 = four times <see cref="MaxMegapixels"/>.</summary>
    [Range(0.0, 1e6)]
    public double MaxDecodeMegapixels { get; set; }

    /// <summary>Results above this many megapixels (input x scale²) get 422 before any work; 0 = no limit.</summary>
    [Range(0.0, 1e7)]
    public double MaxOutputMegapixels { get; set; } = 150;

    /// <summary>Largest embedded colour profile carried to the output; larger ones are dropped (the response says so).</summary>
    [Range(0, int.MaxValue)]
    public int MaxIccProfileBytes { get; set; } = ImageLimits.DefaultMaxIccProfileBytes;

    /// <summary>All metadata of an upload once inflated (PNG text, EXIF, XMP); a file over it gets 422 before it is decoded.</summary>
    [Range(64 * 1024, long.MaxValue)]
    public long MaxMetadataBytes { get; set; } = ImageLimits.DefaultMaxMetadataBytes;

    /// <summary>
    /// The longest one image may take, decoding to encoding; past it the work is stopped (libvips' pipeline killed, the
    /// engines let go) and the job fails with 422. The default fits the largest input the defaults admit (16 MP at x4,
    /// 256 MP out) with the default model on two cores, about four times over.
    /// </summary>
    [Range(1, 86400)]
    public int MaxJobSeconds { get; set; } = 900;

    /// <summary>
    /// Bytes that images in progress may take together, by their estimated peak (decoded input, output,
    /// encoded output, blending band); 0 = 60 % of the memory available to the process.
    /// </summary>
    [Range(0L, long.MaxValue)]
    public long MemoryBudgetBytes { get; set; }

    /// <summary>Finished jobs' results kept on disk, in bytes; the oldest go first past it (they then answer 404).</summary>
    [Range(1L, long.MaxValue)]
    public long JobResultsMaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Where each in-process server keeps its finished jobs' results (a folder of its own inside); null = the temp folder.</summary>
    public string? JobResultsDirectory { get; set; }

    /// <summary>Uploads being received or worked on at once (both upload endpoints together); more get 429.</summary>
    [Range(1, 100_000)]
    public int MaxUploadsInFlight { get; set; } = 8;

    /// <summary>Open connections Kestrel accepts at once.</summary>
    [Range(1L, 1_000_000L)]
    public long MaxConnections { get; set; } = 256;

    /// <summary>API keys; when any is set, every /api request needs one (Authorization: Bearer KEY or X-Api-Key).</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Other sites' origins (scheme://host[:port]) whose pages may post to this server from a browser.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>The limits every image is checked against, from the header, before it is decoded.</summary>
    public ImageLimits ImageLimits => new()
    {
        MaxMegapixels = MaxMegapixels,
        Oversize = Oversize,
        MaxDecodeMegapixels = MaxDecodeMegapixels,
        MaxOutputMegapixels = MaxOutputMegapixels,
        MaxIccProfileBytes = MaxIccProfileBytes,
        MaxMetadataBytes = MaxMetadataBytes,
    };

    /// <summary>The synchronous endpoint is for small images: larger ones are told to use the job API.</summary>
    [Range(0.0, 1e6)]
    public double SyncMaxMegapixels { get; set; } = 1;

    /// <summary>Synchronous requests upscaling at once; more get 429.</summary>
    [Range(1, 1024)]
    public int SyncConcurrency { get; set; } = 2;

    /// <summary>Jobs waiting to run; more get 429 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 32;

    /// <summary>Jobs running at once (they share one engine pool).</summary>
    [Range(1, 1024)]
    public int Workers { get; set; } = 1;

    /// <summary>How long finished jobs and their results are kept.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan JobTimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often expired jobs are swept.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    public CacheOptions Cache { get; set; } = new();

    /// <summary>What this process does: All (API and worker), Api (accepts jobs, runs none), Worker (runs jobs, no HTTP).</summary>
    public NodeRole Role { get; set; } = NodeRole.All;

    public QueueOptions Queue { get; set; } = new();

    /// <summary>What one client (API key, else address) may hold: uploads, connections, streams, queue and result space.</summary>
    public ClientLimitOptions Clients { get; set; } = new();

    /// <summary>Jobs one client may have waiting.</summary>
    public int QueueQuota => Clients.QueuedJobs > 0 ? Clients.QueuedJobs : Math.Max(1, QueueCapacity / 2);

    /// <summary>Bytes of results one client may keep.</summary>
    public long ResultBytesPerClient => Clients.ResultBytes > 0 ? Clients.ResultBytes : Math.Max(1, JobResultsMaxBytes / 2);

    /// <summary>With API keys set, /metrics needs one too, unless this is true (a scraper on a trusted network).</summary>
    public bool PublicMetrics { get; set; }

    public sealed class CacheOptions
    {
        /// <summary>Folder of cached results; null = a "results" folder beside the model store.</summary>
        public string? Directory { get; set; }

        /// <summary>Size cap; least recently used results go first. 0 disables the cache. With Redis, the cap is Redis's maxmemory.</summary>
        [Range(0L, long.MaxValue)]
        public long MaxBytes { get; set; } = 1L * 1024 * 1024 * 1024;

        /// <summary>With Redis: how long a shared cached result lives after it was last written.</summary>
        [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
        public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(24);
    }

    private static bool IsPlaceholder(string? value) => value is not null && value.StartsWith("replace-with", StringComparison.OrdinalIgnoreCase);

    /// <summary>The sections' own rules (data annotations stop at the first level): "Queue:MaxAttempts must be …".</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The example settings file's placeholders would make a key and a secret everyone knows.
        for (int i = 0; i < ApiKeys.Count; i++)
        {
            if (IsPlaceholder(ApiKeys[i]))
            {
                yield return new ValidationResult($"ApiKeys:{i} is still the example's placeholder; set it to a secret of your own (openssl rand -hex 16).",
                    [$"{nameof(ApiKeys)}:{i}"]);
            }
        }
        if (IsPlaceholder(WebhookSecret))
        {
            yield return new ValidationResult("WebhookSecret is still the example's placeholder; set it to a secret of your own (openssl rand -hex 32).",
                [nameof(WebhookSecret)]);
        }
        foreach (var (name, section) in new (string, object)[] { (nameof(Queue), Queue), (nameof(Cache), Cache), (nameof(Clients), Clients) })
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
            foreach (var r in results)
            {
                var members = r.MemberNames.Select(m => $"{name}:{m}").ToArray();
                yield return new ValidationResult(r.ErrorMessage?.Replace("The field ", $"The field {name}:"), members);
            }
        }
    }
}
