using SuperRes.Models.Quantization;

namespace SuperRes.Models;

/// <summary>Installs catalog models into the store: the bundled ones by copying them from beside the program, the others
/// through the host's <see cref="IModelWorkshop"/>.</summary>
public sealed class ModelInstaller(ModelStore store, IModelWorkshop? workshop)
{
    public Task<ModelManifest> PullAsync(CatalogEntry entry, IProgress<ModelInstallProgress>? progress, CancellationToken ct)
    {
        if (entry.Bundled)
        {
            return Task.FromResult(InstallBundled(entry, progress));
        }
        return workshop?.PullAsync(entry, store, progress, ct)
            ?? throw new ModelException($"{entry.Name} is fetched from npm and converted to ONNX, which the SuperRes.Models.Tools package does; this host does not include it.")
            {
                Reason = ModelProblem.NoWorkshop,
                Model = entry.Name,
            };
    }

    /// <summary>Copies a model that ships with SuperRes into the store (no download), checking each file's declared scale.</summary>
    private ModelManifest InstallBundled(CatalogEntry entry, IProgress<ModelInstallProgress>? progress)
    {
        var folder = store.FolderOf(entry.Name);
        Directory.CreateDirectory(folder);
        var files = new SortedDictionary<int, string>();
        foreach (var scale in entry.Scales)
        {
            progress?.Report(new(files.Count, entry.Scales.Count, $"Installing the bundled x{scale} model"));
            var source = BundledModelFiles.PathOf(entry, scale);
            if (!File.Exists(source))
            {
                throw new ModelException($"The bundled model file {Path.GetFileName(source)} is missing beside the program; reinstall SuperRes.") { Reason = ModelProblem.Damaged };
            }
            var file = $"x{scale}.onnx";
            // Copy then rename: another process may be loading the previous copy (a refresh after an upgrade).
            var staged = Path.Combine(folder, $".{file}.{Guid.NewGuid():N}.tmp");
            File.Copy(source, staged);
            var contract = OnnxModelInspector.Inspect(staged, new ModelOverrides());
            if (contract.Scale != scale)
            {
                File.Delete(staged);
                throw new ModelException($"The bundled x{scale} model of {entry.Name} upscales x{contract.Scale}; the installation is inconsistent.");
            }
            File.Move(staged, Path.Combine(folder, file), overwrite: true);
            files[scale] = file;
        }
        var manifest = Manifest(entry, files, "bundled with SuperRes (trained by training/, see models/README.md)") with
        {
            Fingerprint = BundledModelFiles.Fingerprint(entry),
        };
        store.Register(manifest); // drops int8 copies made from earlier weights
        foreach (var (scale, file) in files)
        {
            // The checked int8 copies shipped beside the float files, where the quantizer's guard accepted one.
            var shipped = BundledModelFiles.Int8PathOf(entry, scale);
            if (File.Exists(shipped))
            {
                var installed = Int8Copy.PathFor(Path.Combine(folder, file));
                var staged = $"{installed}.{Guid.NewGuid():N}.tmp";
                File.Copy(shipped, staged);
                File.Move(staged, installed, overwrite: true);
            }
        }
        progress?.Report(new(entry.Scales.Count, entry.Scales.Count, $"Installed {entry.Name}"));
        return manifest;
    }

    /// <summary>A catalog model's manifest: ONNX files per scale, RGB, the catalog's range and licence.</summary>
    internal static ModelManifest Manifest(CatalogEntry entry, SortedDictionary<int, string> files, string source) => new()
    {
        Name = entry.Name,
        Kind = ModelKind.Onnx,
        Files = files,
        Channels = ChannelOrder.Rgb,
        Range = entry.Range,
        Source = source,
        License = entry.License,
    };
}
