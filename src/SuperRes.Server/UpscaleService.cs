using System.Diagnostics;
using Microsoft.Extensions.Options;
using SuperRes.Imaging;
using SuperRes.Server.Caching;
using SuperRes.Server.Jobs;
using SuperRes.Server.Observability;

namespace SuperRes.Server;

/// <summary>
/// The one place requests meet the library: checks the image header against the limits, answers from the
/// result cache when it can, otherwise upscales with the shared <see cref="Upscaler"/> and caches the result.
/// </summary>
public sealed class UpscaleService(Upscaler upscaler, IResultCache cache, IOptions<ServerOptions> options)
{
    private readonly ServerOptions options = options.Value;

    /// <summary>Reads and checks the header without decoding: unknown format, corrupt header or too many megapixels fail here.</summary>
    public ImageHeader Inspect(byte[] input)
    {
        var header = ImageMetadataReader.ReadHeader(input);
        double limit = options.MaxMegapixels;
        if (limit > 0 && header.Megapixels > limit && options.Oversize == OversizePolicy.Reject)
        {
            throw new InvalidImageException(
                $"The image is {header.Width}x{header.Height} ({header.Megapixels:0.##} megapixels), above the limit of {limit:0.##} megapixels.",
                InvalidImageReason.TooLarge);
        }
        return header;
    }

    public async Task<UpscaleOutcome> RunAsync(byte[] input, UpscaleParameters p, IProgress<UpscaleProgress>? progress, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var header = ImageMetadataReader.ReadHeader(input);
        var format = p.Format ?? header.Format;
        var key = ResultKey.For(input, p.CacheKeySuffix(format));
        if (await cache.GetAsync(key, ct) is { } cached)
        {
            ServerMetrics.CacheLookups.WithLabels("hit").Inc();
            progress?.Report(new UpscaleProgress(1, 1));
            return cached with { CacheHit = true, Elapsed = sw.Elapsed, Key = key };
        }
        ServerMetrics.CacheLookups.WithLabels("miss").Inc();
        var request = new UpscaleRequest
        {
            Model = p.Model,
            Scale = p.Scale,
            Format = format,
            Quality = p.Quality,
            TileSize = options.TileSize,
            MaxMegapixels = options.MaxMegapixels,
            Oversize = options.Oversize,
        };
        var result = await upscaler.UpscaleAsync(input, request, progress, ct);
        ServerMetrics.InferenceSeconds.WithLabels(result.Model, $"x{result.Scale}").Observe(result.InferenceTime.TotalSeconds);
        var outcome = new UpscaleOutcome(result.Data, ImageFormats.MediaType(result.Format), ImageFormats.Extension(result.Format), false,
            result.Width, result.Height, sw.Elapsed);
        await cache.PutAsync(key, outcome, ct);
        return outcome with { Key = key };
    }
}
