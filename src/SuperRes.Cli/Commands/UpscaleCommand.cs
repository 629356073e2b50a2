using System.CommandLine;
using Spectre.Console;
using SuperRes.Cli.Batch;
using SuperRes.Imaging;
using SuperRes.Inference;
using SuperRes.Models;
using SuperRes.Restoration;

namespace SuperRes.Cli.Commands;

/// <summary><c>superres upscale IN... -o OUT</c>: files and folders, a progress bar across the batch, a summary at the end.</summary>
public static class UpscaleCommand
{
    private static readonly Argument<string[]> Inputs = new("inputs") { Description = "Image files or folders.", Arity = ArgumentArity.OneOrMore };
    private static readonly Option<string> Output = new("--output", "-o") { Description = "Output file (one input) or folder.", Required = true };
    private static readonly Option<int?> Scale = new("--scale", "-s") { Description = "Upscaling factor: 2, 3 or 4 (default 3, or the model file's own)." };
    private static readonly Option<string?> Model = new("--model", "-m") { Description = $"Model name or .onnx/.pb path (default {ModelCatalog.DefaultModel})." };
    private static readonly Option<int?> Tile = new("--tile") { Description = "Tile edge in input pixels (0 = whole image at once; default 256 on ONNX Runtime, 128 on OpenCV DNN)." };
    private static readonly Option<string?> Format = new("--format") { Description = $"Output format: {ImageFormats.OutputList} (default: from the output name, else the input's; HEIC gives jpg, GIF png)." };
    private static readonly Option<string> Colour = new("--colour")
    {
        Description = "Colours of the result: keep (back to the input's own profile, embedded; the default) or srgb (sRGB, no profile). The model always works in sRGB.",
        DefaultValueFactory = _ => "keep",
    };
    private static readonly Option<int?> Quality = new("--quality") { Description = "JPEG/WebP quality 1-100 (default 95)." };
    private static readonly Option<double> MaxMegapixels = new("--max-megapixels") { Description = "Inputs above this size are downscaled first (0 = no limit)." };
    private static readonly Option<bool> RejectOversize = new("--reject-oversize") { Description = "Reject inputs above --max-megapixels instead of downscaling them." };

    public static Command Create()
    {
        var command = new Command("upscale", "Upscale images with a super-resolution model.")
        {
            Inputs, Output, Scale, Model, Tile, Format, Colour, Quality, MaxMegapixels, RejectOversize,
            ModelFileOptions.Channels, ModelFileOptions.Range, ModelFileOptions.Algorithm,
            SharedOptions.Threads, SharedOptions.Engines, SharedOptions.Engine, SharedOptions.Precision, SharedOptions.ModelsDir, SharedOptions.Ensemble, SharedOptions.Restore,
        };
        command.ValidateRestore();
        command.AddCheck(r =>
        {
            if (r.GetValue(Format) is { } f && ImageFormats.Parse(f) is null)
            {
                r.AddError($"--format {f} is not one of {ImageFormats.OutputList}.");
            }
            if (r.GetValue(Colour) is { Length: > 0 } colour && ColourModes.Parse(colour) is null)
            {
                r.AddError($"--colour {r.GetValue(Colour)} is not keep or srgb.");
            }
            if (r.GetValue(SharedOptions.Threads) < 0 || r.GetValue(MaxMegapixels) < 0)
            {
                r.AddError("--threads and --max-megapixels cannot be negative.");
            }
            // The library's rules for the request itself, worded with the options' names.
            var request = new UpscaleRequest
            {
                Model = r.GetValue(Model),
                Scale = r.GetValue(Scale),
                Format = ImageFormats.Parse(r.GetValue(Format)),
                Quality = r.GetValue(Quality) ?? 95,
                TileSize = r.GetValue(Tile),
                Restore = Restore.Parse(r.GetValue(SharedOptions.Restore), out _) ?? Restore.Auto,
            };
            foreach (var problem in request.Validate())
            {
                r.AddError("--" + problem.Message);
            }
        });
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult r, CancellationToken ct)
    {
        var inputs = InputCollector.Collect(r.GetValue(Inputs)!);
        if (inputs.Count == 0)
        {
            await Console.Error.WriteLineAsync("superres: no image files found in the given inputs.");
            return CommandLine.Failed;
        }
        var request = new UpscaleRequest
        {
            Model = r.GetValue(Model),
            Scale = r.GetValue(Scale),
            Format = ImageFormats.Parse(r.GetValue(Format)),
            Quality = r.GetValue(Quality) ?? 95,
            Colour = ColourModes.Parse(r.GetValue(Colour)) ?? ColourMode.Keep, // the validator refused anything else
            TileSize = r.GetValue(Tile),
            Limits = new ImageLimits
            {
                MaxMegapixels = r.GetValue(MaxMegapixels),
                Oversize = r.GetValue(RejectOversize) ? OversizePolicy.Reject : OversizePolicy.Downscale,
            },
            Overrides = r.ToOverrides(),
            Ensemble = r.GetValue(SharedOptions.Ensemble),
            Restore = r.GetRestore(),
        };
        using var upscaler = new Upscaler(r.ToUpscalerOptions()) { InstallProgress = new InstallProgressPrinter() };
        // Load (and on first use, fetch) the model before the batch: a model problem is one error, not one per file.
        var loaded = await upscaler.LoadAsync(request.Model, request.Scale, request.Overrides, ct);
        bool restores = ModelResolver.RestoringPair(loaded.Model) is not null;
        if (!restores && request.Restore.Strength is > 0)
        {
            await Console.Error.WriteLineAsync($"superres: --{RestoringPairs.Missing(loaded.Model.Name, loaded.Model.Scale)}");
            return CommandLine.UsageError;
        }
        string restore = restores ? $", restore {request.Restore}" : "";
        Console.Error.WriteLine($"Model {loaded.Model.Name} x{loaded.Model.Scale} on {loaded.Engine}, {loaded.Model.Precision.ToString().ToLowerInvariant()}{restore} ({upscaler.Options.EffectivePoolSize} engine(s) x {upscaler.Options.ThreadsPerEngine} thread(s)), loaded in {loaded.LoadTime.TotalSeconds:0.00} s");
        request = request with { Scale = loaded.Model.Scale };

        var runner = new BatchRunner(upscaler, request, r.GetValue(Output)!);
        List<BatchItemResult> results;
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            results = await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(ctx => runner.RunAsync(inputs, new LiveBatchView(ctx, inputs.Count), ct));
        }
        else
        {
            results = await runner.RunAsync(inputs, new PlainBatchView(inputs.Count), ct);
        }
        return Summary.Print(results);
    }
}
