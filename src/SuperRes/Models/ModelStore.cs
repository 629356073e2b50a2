namespace SuperRes.Models;

/// <summary>
/// The folder of installed models: one sub-folder per model with its files and a manifest. Lives in the
/// user's cache folder unless a path is given or SUPERRES_MODELS is set.
/// </summary>
public sealed class ModelStore
{
    public const string EnvironmentVariable = "SUPERRES_MODELS";

    public ModelStore(string? root = null)
    {
        Root = Path.GetFullPath(root ?? DefaultRoot());
    }

    public string Root { get; }

    public static string DefaultRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return fromEnv;
        }
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }
        return Path.Combine(cache, "superres", "models");
    }

    public string FolderOf(string name) => Path.Combine(Root, SafeName(name));

    public ModelManifest? Find(string name) => ModelManifest.Load(Path.Combine(FolderOf(name), ModelManifest.FileName));

    public IReadOnlyList<ModelManifest> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }
        return Directory.EnumerateDirectories(Root)
            .Select(d => ModelManifest.Load(Path.Combine(d, ModelManifest.FileName)))
            .OfType<ModelManifest>()
            .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public long SizeOnDisk(ModelManifest manifest)
    {
        var folder = FolderOf(manifest.Name);
        return manifest.Files.Values.SelectMany(f => new[] { Path.Combine(folder, f), Quantization.Int8Copy.PathFor(Path.Combine(folder, f)) })
            .Select(f => new FileInfo(f)).Where(f => f.Exists).Sum(f => f.Length);
    }

    /// <summary>
    /// Writes a manifest last, so a model interrupted mid-install never looks installed. Int8 copies of its files and
    /// mixed restoration models are dropped: they were made from the weights this install replaces (<c>superres models
    /// quantize</c> makes the copies again, the mixes are made again on use).
    /// </summary>
    public void Register(ModelManifest manifest)
    {
        var folder = FolderOf(manifest.Name);
        Directory.CreateDirectory(folder);
        foreach (var file in manifest.Files.Values)
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{file} is missing from {folder}.");
            }
            var int8 = Quantization.Int8Copy.PathFor(path);
            File.Delete(int8);
            File.Delete(int8 + ".engine");
            File.Delete(Inference.Int8Speed.PathFor(int8));
        }
        RestorationFiles.Clear(folder); // mixed from the weights this install replaces
        foreach (var partner in ModelCatalog.Entries.Where(e => string.Equals(e.RestoredBy, manifest.Name, StringComparison.OrdinalIgnoreCase)))
        {
            RestorationFiles.Clear(FolderOf(partner.Name)); // mixed with this model's earlier weights
        }
        manifest.Save(Path.Combine(folder, ModelManifest.FileName));
    }

    /// <summary>Model names become folder names: keep letters, digits, dot, dash and underscore.</summary>
    public static string SafeName(string name)
    {
        var chars = name.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        var safe = new string(chars).Trim('.');
        if (safe.Length == 0)
        {
            throw new ModelException($"\"{name}\" is not a usable model name; use letters, digits, dashes or underscores.");
        }
        return safe;
    }
}
