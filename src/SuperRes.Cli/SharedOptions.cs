using System.CommandLine;
using SuperRes.Inference;
using SuperRes.Models.Quantization;
using SuperRes.Models.Tools;

namespace SuperRes.Cli;

/// <summary>Options every command that touches models accepts.</summary>
public static class SharedOptions
{
    public static readonly Option<bool> Ensemble = new("--ensemble")
    {
        Description = "Self-ensemble: run each tile in its 8 orientations and average them (sharper, 8 times the time).",
    };

    public static readonly Option<string> Restore = new("--restore")
    {
        Description = "Restore JPEG artefacts and noise (superres-edsr with superres-photo): auto (chosen from each file: its JPEG quality, else its noise) or a strength from 0 (none) to 1 (full).",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>The parsed --restore (the command's validator has refused what does not parse).</summary>
    public static Restoration.Restore GetRestore(this System.CommandLine.ParseResult r) =>
        Restoration.Restore.Parse(r.GetValue(Restore), out _) ?? Restoration.Restore.Auto;

    /// <summary>Adds the --restore check to a command: one line saying what is wrong.</summary>
    /// <summary>
    /// Adds a check that runs once every option given on the command line has its value. Reading an option given
    /// without one (--restore at the end of the line) throws in System.CommandLine instead of reporting, and the parser
    /// reports the missing value itself, as one line.
    /// </summary>
    public static void AddCheck(this System.CommandLine.Command command, Action<System.CommandLine.Parsing.CommandResult> check) =>
        command.Validators.Add(r =>
        {
            if (!r.Children.OfType<System.CommandLine.Parsing.OptionResult>()
                    .Any(o => !o.Implicit && o.Tokens.Count == 0 && o.Option.Arity.MinimumNumberOfValues > 0))
            {
                check(r);
            }
        });

    public static void ValidateRestore(this System.CommandLine.Command command) => command.AddCheck(r =>
    {
        if (Restoration.Restore.Parse(r.GetValue(Restore), out var error) is null)
        {
            r.AddError("--" + error);
        }
    });

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

    public static readonly Option<Precision> Precision = new("--precision")
    {
        Description = "Arithmetic: auto (int8 where a checked copy exists and runs faster here: with VNNI, or timed once with AVX2 alone), fp32, int8 (needs 'superres models quantize').",
        DefaultValueFactory = _ => SuperRes.Models.Quantization.Precision.Auto,
    };

    /// <summary>serve and worker: a settings file outside the program folder (see deploy/).</summary>
    public static readonly Option<string?> SettingsFile = new("--settings")
    {
        Description = "A JSON settings file (as appsettings.json; see deploy/superres.example.json); environment and --SuperRes:Key=value still override it.",
    };

    /// <summary>serve and worker: a precision for every model, and/or NAME=PRECISION for one model; may be repeated.</summary>
    public static readonly Option<string[]> ServicePrecision = new("--precision")
    {
        Description = "auto|fp32|int8 for every model, or NAME=auto|fp32|int8 for one (repeatable), e.g. --precision esrgan-thick=int8.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Turns --precision values into the service's configuration keys (SuperRes:Precision, SuperRes:ModelPrecision:NAME).</summary>
    public static void AddPrecisionSettings(this System.CommandLine.ParseResult r, List<string> args)
    {
        if (r.GetValue(SettingsFile) is { } settings)
        {
            args.Add($"--{SuperRes.Server.Hosting.SettingsFile.Key}={settings}");
        }
        foreach (var spec in r.GetValue(ServicePrecision) ?? [])
        {
            var (name, value) = spec.Split('=', 2) is [var n, var v] ? (n.Trim(), v.Trim()) : (null, spec.Trim());
            if (!Enum.TryParse<Precision>(value, ignoreCase: true, out var precision) || int.TryParse(value, out _))
            {
                throw new ArgumentException($"--precision takes auto, fp32 or int8 (or NAME=one of them), not \"{spec}\".");
            }
            args.Add(name is null ? $"--SuperRes:Precision={precision}" : $"--SuperRes:ModelPrecision:{name}={precision}");
        }
    }

    public static UpscalerOptions ToUpscalerOptions(this System.CommandLine.ParseResult r, int? tile = null) => new()
    {
        ModelStore = r.GetValue(ModelsDir),
        Threads = r.GetValue(Threads),
        Engine = r.GetValue(Engine),
        Precision = r.GetValue(Precision),
        PoolSize = r.GetValue(Engines),
        TileSize = tile,
        Workshop = new ModelWorkshop(), // catalog models are pulled on first use
    };
}
