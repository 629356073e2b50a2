using SuperRes.Imaging;

namespace SuperRes.Server.Jobs;

/// <summary>What a client asked for, validated: a model by name (never a path), a scale, the output format.</summary>
/// <param name="Tenant">Who asked (an API key's id; empty without keys): results are cached per tenant, so
/// no client can learn from a cache hit what another uploaded.</param>
/// <param name="Ensemble">Self-ensemble (8 orientations averaged): sharper, 8 times the work.</param>
/// <param name="Webhook">Where to post the job's events (jobs only; not part of the result, so not of the cache key).</param>
/// <param name="Restore">Restoration asked for: auto (from the file) or a strength (models with a restoring pair).</param>
/// <param name="Colour">The result's colours: back to the input's profile (keep) or sRGB.</param>
public sealed record UpscaleParameters(string Model, int Scale, ImageFormat? Format, int Quality, string Tenant = "", bool Ensemble = false,
    Webhooks.WebhookTarget? Webhook = null, Restoration.Restore Restore = default, ColourMode Colour = ColourMode.Keep)
{
    /// <summary>Who the job counts against for the queue quota and result space: the API key, else the address
    /// (<see cref="Security.ClientIdentity"/>). Not part of the result.</summary>
    public string Client { get; init; } = "";

    /// <summary>Everything that makes two submissions the same request (for Idempotency-Key): the result's parameters,
    /// and where its events go.</summary>
    public string Fingerprint(byte[] input) => Caching.ResultKey.For(input,
        $"{Model}|{Scale}|{Format}|{Quality}|{Ensemble}|{Restore}|{Colour}|{Webhook?.Url}|{Webhook?.EventList}");

    /// <summary>Part of the cache key: everything besides the input bytes that changes the output, and whose cache it is.</summary>
    public string CacheKeySuffix(ImageFormat format) =>
        $"{Model}|x{Scale}|{format}|q{Quality}|r{Restore}" + (Colour == ColourMode.Srgb ? "|srgb" : "") + (Ensemble ? "|ensemble" : "")
        + (Tenant.Length > 0 ? $"|t{Tenant}" : "");
}
