using SuperRes.Imaging;

namespace SuperRes.Server.Jobs;

/// <summary>What a client asked for, validated: a model by name (never a path), a scale, the output format.</summary>
public sealed record UpscaleParameters(string Model, int Scale, ImageFormat? Format, int Quality)
{
    /// <summary>Part of the cache key: everything besides the input bytes that changes the output.</summary>
    public string CacheKeySuffix(ImageFormat format) => $"{Model}|x{Scale}|{format}|q{Quality}";
}
