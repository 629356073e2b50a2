namespace SuperRes.Models;

/// <summary>A model SuperRes knows how to obtain: an npm package holding a TensorFlow.js layers model per scale.</summary>
/// <param name="Integrity">The package tarball's npm integrity (SRI sha512), checked after download.</param>
public sealed record CatalogEntry(
    string Name,
    string Package,
    string Version,
    string Integrity,
    IReadOnlyList<int> Scales,
    string License,
    long DownloadBytes,
    string Description);
