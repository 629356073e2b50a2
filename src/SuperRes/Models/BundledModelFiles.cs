using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SuperRes.Models;

/// <summary>
/// The ONNX files of a model that ships beside the program (<see cref="CatalogEntry.Bundled"/>) and a
/// fingerprint of their contents. The store keeps a copy of them; when a newer SuperRes ships retrained
/// weights, the fingerprint no longer matches the copy's manifest and the copy is refreshed, so users
/// never keep running an older model (or miss a scale added since) after an upgrade.
/// </summary>
public static class BundledModelFiles
{
    private static readonly ConcurrentDictionary<string, string?> Fingerprints = new(StringComparer.OrdinalIgnoreCase);

    public static string PathOf(CatalogEntry entry, int scale) =>
        Path.Combine(CatalogEntry.BundledFolder, $"{entry.Name}-x{scale}.onnx");

    /// <summary>The checked int8 copy shipped beside a scale's float file (NAME-xS.int8.onnx), where the quantizer's
    /// guard accepted one; <see cref="Quantization.Precision.Auto"/> then runs it with no manual step.</summary>
    public static string Int8PathOf(CatalogEntry entry, int scale) => Quantization.Int8Copy.PathFor(PathOf(entry, scale));

    /// <summary>SHA-256 over the bundled files (float, then any int8 copy) in scale order; null when they are not beside the program.
    /// Computed once per process (a few megabytes).</summary>
    public static string? Fingerprint(CatalogEntry entry) => Fingerprints.GetOrAdd(entry.Name, _ => Compute(entry));

    /// <summary>True when <paramref name="installed"/> is a copy of a bundled model that differs from the files
    /// this program ships. An installed copy is kept when the program has no files to replace it with.</summary>
    public static bool IsOutdated(ModelManifest installed)
    {
        var entry = ModelCatalog.Find(installed.Name);
        if (entry is not { Bundled: true })
        {
            return false;
        }
        var shipped = Fingerprint(entry);
        return shipped is not null && !string.Equals(shipped, installed.Fingerprint, StringComparison.Ordinal);
    }

    private static string? Compute(CatalogEntry entry)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var scale in entry.Scales.Order())
        {
            var path = PathOf(entry, scale);
            if (!File.Exists(path))
            {
                return null;
            }
            hash.AppendData(File.ReadAllBytes(path));
            var int8 = Int8PathOf(entry, scale);
            if (File.Exists(int8))
            {
                hash.AppendData(File.ReadAllBytes(int8));
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
