using SuperRes.Inference;
using SuperRes.Models.Quantization;
using SuperRes.Models.Zoo;

namespace SuperRes.Models;

/// <summary>
/// Turns what the user typed (nothing, a model name, or a file path) and a scale into a model file.
/// Catalog models that are not installed yet are installed on first use (those that do not ship with SuperRes through
/// <paramref name="workshop"/>).
/// </summary>
public sealed class ModelResolver(ModelStore store, IModelWorkshop? workshop = null)
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <param name="precision">Fp32: the float file; Int8: its checked int8 copy (an error without one); Auto: the copy
    /// where one exists within the default guard and runs faster on this CPU (<see cref="Int8Speed"/>: always with VNNI,
    /// timed once with AVX2 alone, never without AVX2).</param>
    public async Task<ResolvedModel> ResolveAsync(string? model, int? scale, ModelOverrides? overrides = null,
        IProgress<ModelInstallProgress>? installProgress = null, CancellationToken ct = default, Precision precision = Precision.Fp32)
    {
        var resolved = await ResolveFloatAsync(model, scale, overrides, installProgress, ct).ConfigureAwait(false);
        return WithPrecision(resolved, precision, Int8Speed.ThisCpu);
    }

    /// <summary>What an ONNX file of the store runs in when <paramref name="precision"/> is asked for on this CPU, without
    /// loading or timing it (for listings: an Int8 asked for without a copy is reported as the error it would be, i.e. not
    /// int8; a copy not yet timed on an AVX2-only CPU as fp32 until its first use times it).</summary>
    public static Precision ExpectedPrecision(string floatPath, Precision precision)
    {
        var copy = Int8Copy.PathFor(floatPath);
        return Int8Copy.IsInt8(floatPath) || TakesCopy(Int8Copy.CheckedLoss(copy), precision, () => Int8Speed.ThisCpu.Known(copy) == true)
            ? Precision.Int8
            : Precision.Fp32;
    }

    /// <summary>Whether a checked copy with this measured loss (null: none) runs for <paramref name="precision"/>;
    /// <paramref name="pays"/> is asked last, since it may time the copy.</summary>
    private static bool TakesCopy(double? loss, Precision precision, Func<bool> pays) =>
        loss is not null && (precision == Precision.Int8 || (precision == Precision.Auto && loss <= Int8Copy.AutoMaxLossDb && pays()));

    internal static ResolvedModel WithPrecision(ResolvedModel model, Precision precision, Int8Speed speed)
    {
        if (model.Kind == ModelKind.Onnx && Int8Copy.IsInt8(model.FilePath))
        {
            return model with { Precision = Precision.Int8 }; // the user named an int8 file itself
        }
        var copy = model.Kind == ModelKind.Onnx ? Int8Copy.PathFor(model.FilePath) : null;
        var loss = copy is null ? null : Int8Copy.CheckedLoss(copy);
        if (precision == Precision.Int8 && loss is null)
        {
            throw new ModelException(model.Kind == ModelKind.OpenCvZoo
                ? $"{Path.GetFileName(model.FilePath)} is a TensorFlow graph, which runs in fp32 only; imported, it becomes ONNX, which can have an int8 copy."
                : $"{model.Name} x{model.Scale} has no checked int8 copy.")
            {
                Reason = ModelProblem.NoInt8Copy,
                Model = model.Kind == ModelKind.OpenCvZoo ? model.FilePath : QuantizeTarget(model),
                Scale = model.Scale,
            };
        }
        return TakesCopy(loss, precision, () => speed.Pays(model, copy!)) ? model with { FilePath = copy!, Precision = Precision.Int8 } : model;
    }

    /// <summary>
    /// The model that restores at <paramref name="strength"/> for a catalog model with a restoring pair
    /// (<see cref="CatalogEntry.RestoredBy"/>): the model itself at 0, its pair at 1, and between them the mix of their
    /// float weights, written once into the model's folder (restore/) and reused. The result keeps the first model's
    /// name, with <see cref="ResolvedModel.Restore"/> set.
    /// </summary>
    /// <exception cref="ModelException">The model has no restoring pair.</exception>
    /// <param name="precision">As for <see cref="ResolveAsync"/>: Auto takes the restoring pair's shipped int8 copy, and a
    /// mix's copy once one exists (see <paramref name="quantizeMixes"/>).</param>
    /// <param name="quantizeMixes">Start a mix's int8 copy in the background (<see cref="IModelWorkshop.QuantizeInBackground"/>;
    /// nothing without a workshop).</param>
    public async Task<ResolvedModel> ResolveRestorationAsync(ResolvedModel model, double strength,
        IProgress<ModelInstallProgress>? installProgress = null, CancellationToken ct = default,
        Precision precision = Precision.Fp32, bool quantizeMixes = false)
    {
        var partner = RestoringPair(model)
            ?? throw new ModelException(Restoration.RestoringPairs.Missing(model.Name, model.Scale) ?? $"{model.Name} does not restore.");
        strength = Restoration.Restore.Round(strength);
        if (strength == 0)
        {
            return model with { Restore = 0 };
        }
        var to = await ResolveFloatAsync(partner, model.Scale, null, installProgress, ct).ConfigureAwait(false);
        if (strength == 1)
        {
            return Restoring(model with { FilePath = to.FilePath, Precision = Precision.Fp32, Restore = 1 }, precision);
        }
        var from = await ResolveFloatAsync(model.Name, model.Scale, null, installProgress, ct).ConfigureAwait(false);
        var mix = RestorationFiles.PathFor(store.FolderOf(model.Name), from.FilePath, to.FilePath, strength);
        if (!File.Exists(mix))
        {
            Onnx.WeightBlend.Write(from.FilePath, to.FilePath, strength, mix);
        }
        var mixed = model with { FilePath = mix, Precision = Precision.Fp32, Restore = strength };
        if (quantizeMixes && precision == Precision.Auto && CpuFeatures.HasVnni)
        {
            _ = workshop?.QuantizeInBackground(mix, mixed.Contract); // later requests at this strength take the copy
        }
        return Restoring(mixed, precision);
    }

    // A restoring file's int8 copy is taken where one exists; a missing one is not an error, since mixes are made at
    // run time and their copies later.
    private static ResolvedModel Restoring(ResolvedModel model, Precision precision) =>
        precision == Precision.Int8 && Int8Copy.CheckedLoss(Int8Copy.PathFor(model.FilePath)) is null
            ? model
            : WithPrecision(model, precision, Int8Speed.ThisCpu);

    /// <summary>The name of the model's restoring pair, or null when it has none at this scale (files, imports, other
    /// catalog models).</summary>
    public static string? RestoringPair(ResolvedModel model) =>
        model.Restore is null && model.Kind == ModelKind.Onnx && Restoration.RestoringPairs.Scales(model.Name).Contains(model.Scale)
            ? ModelCatalog.Find(model.Name)!.RestoredBy : null;

    /// <summary>What a copy would be made from: the installed model's name, or the file the user gave.</summary>
    private static string QuantizeTarget(ResolvedModel model) =>
        Path.GetFileName(Path.GetDirectoryName(model.FilePath)) == ModelStore.SafeName(model.Name) ? model.Name : model.FilePath;

    private async Task<ResolvedModel> ResolveFloatAsync(string? model, int? scale, ModelOverrides? overrides,
        IProgress<ModelInstallProgress>? installProgress, CancellationToken ct)
    {
        overrides ??= new ModelOverrides();
        model = string.IsNullOrWhiteSpace(model) ? ModelCatalog.DefaultModel : model.Trim();
        if (LooksLikePath(model))
        {
            return FromPath(model, scale, overrides);
        }
        var manifest = FindCurrent(model) ?? await InstallAsync(model, installProgress, ct).ConfigureAwait(false);
        int s = scale ?? (manifest.Files.ContainsKey(3) ? 3 : manifest.Files.Keys.First());
        if (!manifest.Files.TryGetValue(s, out var file))
        {
            throw new ModelException($"{manifest.Name} has no x{s} model; it offers {string.Join(", ", manifest.Files.Keys.Select(k => "x" + k))}.")
            {
                Reason = ModelProblem.UnsupportedScale,
                Model = manifest.Name,
            };
        }
        var path = Path.Combine(store.FolderOf(manifest.Name), file);
        if (!File.Exists(path))
        {
            throw new ModelException($"The x{s} file of {manifest.Name} is missing from the model store.") { Reason = ModelProblem.Damaged, Model = manifest.Name };
        }
        var contract = new ModelContract(s, manifest.Channels, manifest.Range);
        return new ResolvedModel(manifest.Name, manifest.Kind, path, s, contract, manifest.Algorithm);
    }

    /// <summary>Pulls a catalog model, once even when several callers ask at the same time.</summary>
    public async Task<ModelManifest> InstallAsync(string name, IProgress<ModelInstallProgress>? progress, CancellationToken ct, bool force = false)
    {
        var entry = ModelCatalog.Find(name)
            ?? throw new ModelException($"Unknown model \"{name}\".") { Reason = ModelProblem.NotFound, Model = name };
        await InstallLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(store.Root);
            // Another process may be pulling the same model: hold an exclusive lock file meanwhile.
            using var fileLock = await AcquireFileLockAsync(Path.Combine(store.Root, $".{entry.Name}.lock"), ct).ConfigureAwait(false);
            var installed = force ? null : FindCurrent(entry.Name);
            return installed ?? await new ModelInstaller(store, workshop).PullAsync(entry, progress, ct).ConfigureAwait(false);
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>The installed model, unless it is an older copy of a model this program ships newer files of.</summary>
    private ModelManifest? FindCurrent(string name) =>
        store.Find(name) is { } installed && !BundledModelFiles.IsOutdated(installed) ? installed : null;

    private static ResolvedModel FromPath(string path, int? scale, ModelOverrides overrides)
    {
        if (!File.Exists(path))
        {
            throw new ModelException($"The model file {path} does not exist.");
        }
        var full = Path.GetFullPath(path);
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".pb":
                var zoo = ZooModelName.Describe(path, overrides, scale);
                CheckScale(path, zoo.Scale, scale);
                return new ResolvedModel(zoo.Name, ModelKind.OpenCvZoo, full, zoo.Scale, new ModelContract(zoo.Scale, ChannelOrder.Bgr, 255f), zoo.Algorithm);
            case ".onnx":
                var contract = OnnxModelInspector.Inspect(full, overrides);
                CheckScale(path, contract.Scale, scale);
                return new ResolvedModel(Path.GetFileNameWithoutExtension(path), ModelKind.Onnx, full, contract.Scale, contract, null);
            default:
                throw new ModelException($"{Path.GetFileName(path)} is not a model SuperRes can run: it runs .onnx files and OpenCV zoo .pb graphs, and a TensorFlow.js model.json once imported.");
        }
    }

    private static void CheckScale(string path, int modelScale, int? requested)
    {
        if (requested is { } r && r != modelScale)
        {
            throw new ModelException($"{Path.GetFileName(path)} upscales x{modelScale}, not x{r}; pass -s {modelScale} or choose a x{r} model.");
        }
    }

    private static bool LooksLikePath(string model) =>
        model.Contains('/') || model.Contains('\\') || Path.HasExtension(model) && File.Exists(model);

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Held by another process's pull: wait with back-off, it finishes or dies (the OS drops the lock).
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
        }
    }
}
