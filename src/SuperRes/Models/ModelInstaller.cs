using SuperRes.Models.Npm;
using SuperRes.Models.Quantization;
using SuperRes.Models.Tfjs;

namespace SuperRes.Models;

/// <summary>Pulls catalog models from npm and converts each scale to ONNX in the store, once.</summary>
public sealed class ModelInstaller(ModelStore store)
{
    public async Task<ModelManifest> PullAsync(CatalogEntry entry, IProgress<ModelInstallProgress>? progress, CancellationToken ct)
    {
        if (entry.Bundled)
        {
            return InstallBundled(entry, progress);
        }
        int steps = 2 + entry.Scales.Count;
        var work = Path.Combine(store.Root, ".download-" + Guid.NewGuid().ToString("N"));
        try
        {
            progress?.Report(new(0, steps, $"Downloading {entry.Package}@{entry.Version} ({entry.DownloadBytes / 1e6:0.#} MB) with npm"));
            var tgz = await NpmClient.PackAsync(entry.Package, entry.Version, entry.Integrity, work, ct).ConfigureAwait(false);
            progress?.Report(new(1, steps, "Unpacking the verified package"));
            var unpacked = Path.Combine(work, "unpacked");
            PackageArchive.Extract(tgz, "package/models/", unpacked);
            File.Delete(tgz);

            var folder = store.FolderOf(entry.Name);
            Directory.CreateDirectory(folder);
            var files = new SortedDictionary<int, string>();
            int step = 2;
            foreach (var scale in entry.Scales)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new(step++, steps, $"Converting the x{scale} model to ONNX"));
                var json = Path.Combine(unpacked, $"x{scale}", "model.json");
                if (!File.Exists(json))
                {
                    throw new ModelException($"{entry.Package}@{entry.Version} has no x{scale} model; the package layout changed, pin another version.");
                }
                var file = $"x{scale}.onnx";
                var contract = TfjsLayersConverter.Convert(json, Path.Combine(folder, file), entry.Range);
                if (contract.Scale != scale)
                {
                    throw new ModelException($"The x{scale} model of {entry.Name} upscales x{contract.Scale}; the package is inconsistent.");
                }
                files[scale] = file;
            }
            var manifest = Manifest(entry, files, $"{entry.Package}@{entry.Version}");
            store.Register(manifest);
            progress?.Report(new(steps, steps, $"Installed {entry.Name}"));
            return manifest;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
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
    private static ModelManifest Manifest(CatalogEntry entry, SortedDictionary<int, string> files, string source) => new()
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
