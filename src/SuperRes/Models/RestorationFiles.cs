using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace SuperRes.Models;

/// <summary>
/// Where the mixed models of restoration strengths are kept: in the model's folder under restore/, named by the
/// strength and a fingerprint of the two files mixed, so retrained weights (a newer bundle) never reuse an old mix.
/// </summary>
public static class RestorationFiles
{
    public const string Folder = "restore";

    private static readonly ConcurrentDictionary<(string, long, DateTime), string> Hashes = new();

    public static string PathFor(string modelFolder, string from, string to, double strength)
    {
        string name = $"{Path.GetFileNameWithoutExtension(from)}.restore-{strength.ToString("0.0", CultureInfo.InvariantCulture)}.{Stable(Hash(from) + Hash(to))}.onnx";
        return Path.Combine(modelFolder, Folder, name);
    }

    /// <summary>Drops every mix in a model's folder (its weights are being replaced).</summary>
    public static void Clear(string modelFolder)
    {
        var folder = Path.Combine(modelFolder, Folder);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Stable(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12];

    private static string Hash(string path)
    {
        var file = new FileInfo(path);
        return Hashes.GetOrAdd((file.FullName, file.Length, file.LastWriteTimeUtc), _ =>
        {
            using var stream = file.OpenRead();
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }
}
