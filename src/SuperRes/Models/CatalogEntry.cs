namespace SuperRes.Models;

/// <summary>
/// A model SuperRes knows how to obtain: an npm package holding a TensorFlow.js layers model per scale, or
/// (<paramref name="Bundled"/>) ONNX files shipped beside the program in models/, named NAME-xS.onnx.
/// </summary>
/// <param name="Integrity">The package tarball's npm integrity (SRI sha512), checked after download.</param>
/// <param name="Range">Pixel value range the models take and give (1 for [0, 1]).</param>
public sealed record CatalogEntry(
    string Name,
    string Package,
    string Version,
    string Integrity,
    IReadOnlyList<int> Scales,
    string License,
    long DownloadBytes,
    string Description,
    float Range,
    bool Bundled = false)
{
    /// <summary>Measured quality at x3: mean PSNR on Y over Set5 (<c>superres bench quality</c>, the SR protocol).</summary>
    public double? Set5PsnrX3 { get; init; }

    /// <summary>Cost at x3: convolution multiply-adds per input pixel, counted from the ONNX graph.</summary>
    public double? MacsPerPixelX3 { get; init; }

    /// <summary>
    /// The catalog model fine-tuned from this one to restore damaged photos (same graph, so their weights mix):
    /// a restoration strength s runs (1 - s) · this + s · that (see <see cref="Onnx.WeightBlend"/>). Null: no pair.
    /// </summary>
    public string? RestoredBy { get; init; }

    /// <summary>Where bundled model files are: copied beside the program from the repository's models/ folder.</summary>
    public static string BundledFolder => Path.Combine(AppContext.BaseDirectory, "models");

    public static CatalogEntry Own(string name, IReadOnlyList<int> scales, long bytes, string description) =>
        new(name, "", "", "", scales, "as SuperRes", bytes, description, 1f, Bundled: true);
}
