using System.CommandLine;
using SuperRes.Inference;

namespace SuperRes.Cli;

/// <summary>Options every command that touches models accepts.</summary>
public static class SharedOptions
{
    public static readonly Option<bool> Ensemble = new("--ensemble")
    {
        Description = "Self-ensemble: run each tile in its 8 orientations and average them (sharper, 8 times the time).",
    };

    public static readonly Option<string?> ModelsDir = new("--models-dir")
    {
        Description = "Model store folder (default: $SUPERRES_MODELS, else the user cache folder).",
        Recursive = true,
    };

    public static readonly Option<int> Threads = new("--threads")
    {
        Description = "CPU cores to use (default: all).",
        Recursive = true,
    };

    public static readonly Option<int> Engines = new("--engines")
    {
        Description = "Engines per model, each running one tile or image at a time with --threads / --engines cores (default: 1).",
        Recursive = true,
    };

    public static readonly Option<EngineKind> Engine = new("--engine")
    {
        Description = "Runtime for ONNX models: auto (time both, keep the faster), onnxruntime, opencvdnn.",
        DefaultValueFactory = _ => EngineKind.Auto,
        Recursive = true,
    };

    public static UpscalerOptions ToUpscalerOptions(this System.CommandLine.ParseResult r, int? tile = null) => new()
    {
        ModelStore = r.GetValue(ModelsDir),
        Threads = r.GetValue(Threads),
        Engine = r.GetValue(Engine),
        PoolSize = r.GetValue(Engines),
        TileSize = tile ?? new UpscalerOptions().TileSize,
    };
}
