using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using SuperRes.Imaging;
using SuperRes.Inference;
using SuperRes.Models.Quantization;

namespace SuperRes.Server.Settings;

/// <summary>Service settings, bound from the "SuperRes" configuration section (environment: SUPERRES__Key).</summary>
public sealed class ServerOptions
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

    /// <summary>Arithmetic for models without an entry in <see cref="ModelPrecision"/> (auto: int8 where a checked copy exists and runs faster on this CPU, see Int8Speed).</summary>
    public Precision Precision { get; set; } = Precision.Auto;

    /// <summary>Per model name, e.g. SuperRes:ModelPrecision:esrgan-thick=int8.</summary>
    public Dictionary<string, Precision> ModelPrecision { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Make each restoration strength's mix an int8 copy in the background on its first use (Precision auto,
    /// VNNI CPUs); until it exists, that strength runs in fp32.</summary>
    public bool QuantizeMixes { get; set; } = true;

    /// <summary>Cores for inference; 0 = all.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Tile edge in input pixels; 0 = whole images; unset = the engine's default (256 on ONNX Runtime, 128 on OpenCV DNN).</summary>
    [Range(0, 4096)]
    public int? TileSize { get; set; }

    /// <summary>What one image and one request may take.</summary>
    [ValidateObjectMembers]
    public LimitOptions Limits { get; set; } = new();

    /// <summary>Who may use the server.</summary>
    [ValidateObjectMembers]
    public SecurityOptions Security { get; set; } = new();

    [ValidateObjectMembers]
    public WebhookOptions Webhooks { get; set; } = new();

    [ValidateObjectMembers]
    public JobOptions Jobs { get; set; } = new();

    [ValidateObjectMembers]
    public CacheOptions Cache { get; set; } = new();

    /// <summary>What this process does: All (API and worker), Api (accepts jobs, runs none), Worker (runs jobs, no HTTP).</summary>
    public NodeRole Role { get; set; } = NodeRole.All;

    [ValidateObjectMembers]
    public QueueOptions Queue { get; set; } = new();

    /// <summary>What one client (API key, else address) may hold: uploads, connections, streams, queue and result space.</summary>
    [ValidateObjectMembers]
    public ClientLimitOptions Clients { get; set; } = new();

    /// <summary>Jobs one client may have waiting.</summary>
    public int QueueQuota => Clients.QueuedJobs > 0 ? Clients.QueuedJobs : Math.Max(1, Jobs.QueueCapacity / 2);

    /// <summary>Bytes of results one client may keep.</summary>
    public long ResultBytesPerClient => Clients.ResultBytes > 0 ? Clients.ResultBytes : Math.Max(1, Jobs.ResultsMaxBytes / 2);
}
