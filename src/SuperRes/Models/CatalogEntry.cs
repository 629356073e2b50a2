namespace SuperRes.Models;

/// <summary>A model SuperRes knows how to obtain: an npm package holding a TensorFlow.js layers model per scale.</summary>
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
    float Range);
