using SuperRes.Inference;

namespace SuperRes;

/// <summary>Machine-wide settings of an <see cref="Upscaler"/>: where models live and how engines share the CPU.</summary>
public sealed record UpscalerOptions
{
    /// <summary>Model store folder; null = SUPERRES_MODELS or the user cache folder.</summary>
    public string? ModelStore { get; init; }

    /// <summary>
    /// Fetches and converts the catalog models that do not ship with SuperRes, and makes run-time int8 copies
    /// (<see cref="QuantizeMixes"/>): <c>new SuperRes.Models.Tools.ModelWorkshop()</c> from the SuperRes.Models.Tools
    /// package. Null: the bundled models, restoration and model files run; other catalog models are a
    /// <see cref="Models.ModelException"/>.
    /// </summary>
    public Models.IModelWorkshop? Workshop { get; init; }

    public EngineKind Engine { get; init; } = EngineKind.Auto;

    /// <summary>Cores to use in all; 0 = every core of the machine.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Engines per model (tiles and images in flight at once); 0 = 1. Each engine gets Threads / PoolSize
    /// cores. One engine using every core is the measured best here: on 2 cores, Set5 x3 with esrgan-thick
    /// runs as fast as with two single-thread engines (OpenCV DNN) or faster (ONNX Runtime), a single image
    /// twice as fast, in half the memory.
    /// </summary>
    public int PoolSize { get; init; }

    /// <summary>Tile edge in input pixels; 0 = never split; null = <see cref="DefaultTileSize"/> for the engine.</summary>
    public int? TileSize { get; init; }

    /// <summary>
    /// The tile edge when none is asked for. ONNX Runtime runs any shape, so its tiles are large: 256 instead of 128 cuts
    /// the work spent on overlaps from 1.49x to 1.20x of the picture's own (1024² at x3) and the first run's distinct
    /// shapes from nine to four, for about 100 MB more engine memory. Engines that keep one shape (OpenCV DNN) pad every
    /// tile to it, so their tiles stay small: a picture a little larger than one tile pads less.
    /// </summary>
    public static int DefaultTileSize(bool oneShape) => oneShape ? 128 : 256;

    /// <summary>The largest tile edge a default can mean (for estimates made before an engine is chosen).</summary>
    public static int LargestDefaultTileSize => Math.Max(DefaultTileSize(oneShape: true), DefaultTileSize(oneShape: false));

    /// <summary>Context each tile gets beyond its cell on every inner side, in input pixels.</summary>
    public int TileOverlap { get; init; } = 16;

    /// <summary>Most float the blending holds for one column strip; wider images are worked in several strips (see <see cref="Tiling.TiledUpscaler"/>).</summary>
    public long MaxBandBytes { get; init; } = Tiling.TiledUpscaler.DefaultMaxBandBytes;

    /// <summary>
    /// When tiles are padded to one shape for engines that re-initialise per shape (OpenCV DNN, dnn_superres), so a
    /// model initialises once instead of once per image size and edge tile (see <see cref="Tiling.EngineShape"/>).
    /// </summary>
    public EngineShapePolicy FixedEngineShape { get; init; } = EngineShapePolicy.Auto;

    /// <summary>Arithmetic for every model without an entry in <see cref="ModelPrecision"/>.</summary>
    public Models.Quantization.Precision Precision { get; init; } = Models.Quantization.Precision.Auto;

    /// <summary>Per model (name or file path as requests give it): its precision where it differs from <see cref="Precision"/>.</summary>
    public IReadOnlyDictionary<string, Models.Quantization.Precision> ModelPrecision { get; init; } =
        new Dictionary<string, Models.Quantization.Precision>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Make each restoration strength's mix an int8 copy in the background on first use, for <see cref="Precision"/>
    /// Auto on CPUs with VNNI, through <see cref="Workshop"/>: worth it in a long-lived host (the service turns it on),
    /// not in a one-shot run.
    /// </summary>
    public bool QuantizeMixes { get; init; }

    public Models.Quantization.Precision PrecisionFor(string? model) =>
        ModelPrecision.TryGetValue(string.IsNullOrWhiteSpace(model) ? Models.ModelCatalog.DefaultModel : model.Trim(), out var p) ? p : Precision;

    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    public int EffectivePoolSize => Math.Clamp(PoolSize > 0 ? PoolSize : 1, 1, EffectiveThreads);

    public int ThreadsPerEngine => Math.Max(1, EffectiveThreads / EffectivePoolSize);
}
