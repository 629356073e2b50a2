using SuperRes.Imaging;

namespace SuperRes.Server.Pipeline;

/// <summary>What a client asked for, validated: a model by name (never a path), a scale, the output format.</summary>
/// <param name="Tenant">Who asked (an API key's id; empty without keys): results are cached per tenant, so
/// no client can learn from a cache hit what another uploaded.</param>
/// <param name="Ensemble">Self-ensemble (8 orientations averaged): sharper, 8 times the work.</param>
/// <param name="Restore">Restoration asked for: auto (from the file) or a strength (models with a restoring pair).</param>
/// <param name="Colour">The result's colours: back to the input's profile (keep) or sRGB.</param>
public sealed record UpscaleParameters(string Model, int Scale, ImageFormat? Format, int Quality, string Tenant = "", bool Ensemble = false,
    Restoration.Restore Restore = default, ColourMode Colour = ColourMode.Keep)
{
    /// <summary>Who the work counts against for the queue quota and result space: the API key, else the address.
    /// Not part of the result.</summary>
    public string Client { get; init; } = "";

    /// <summary>Everything besides the input bytes that changes the output: part of the cache key and of the
    /// idempotency fingerprint.</summary>
    public string Describe(ImageFormat? format = null) =>
        $"{Model}|x{Scale}|{format ?? Format}|q{Quality}|r{Restore}" + (Colour == ColourMode.Srgb ? "|srgb" : "") + (Ensemble ? "|ensemble" : "");

    /// <summary>Part of the cache key: what changes the output, and whose cache it is.</summary>
    public string CacheKeySuffix(ImageFormat format) => Describe(format) + (Tenant.Length > 0 ? $"|t{Tenant}" : "");
}
