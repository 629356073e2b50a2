using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SuperRes.Imaging;
using SuperRes.Server.Observability;
using SuperRes.Server.Settings;
using SuperRes.Server.Storage;

namespace SuperRes.Server.Pipeline;

/// <summary>
/// The one place requests meet the library: checks the image header against the limits and the memory
/// budget, answers from the result cache when it can, otherwise upscales with the shared
/// <see cref="Upscaler"/> and caches the result.
/// </summary>
public sealed class UpscaleService(Upscaler upscaler, IResultCache cache, MemoryBudget budget, IOptions<ServerOptions> options,
    ServerMetrics metrics, ILogger<UpscaleService> log)
{
    private readonly ServerOptions options = options.Value;

    /// <summary>
    /// Reads and checks the header without decoding: unknown format, corrupt header, too many megapixels in or
    /// out, or more memory than the whole budget fail here, before anything is queued or decoded.
    /// </summary>
    public Admission Admit(byte[] input, UpscaleParameters p)
    {
        var header = ImageMetadataReader.ReadHeader(input);
        var limits = options.Limits.ImageLimits;
        var (width, height) = limits.Admit(header);
        limits.AdmitOutput(width, height, p.Scale);
        ImageLimits.AdmitFormat(width, height, p.Scale, p.Format ?? ImageFormats.OutputFor(header.Format));
        long peak = PipelineMemory.Estimate(header, limits, p.Scale, options.TileSize ?? UpscalerOptions.LargestDefaultTileSize, upscaler.Options.TileOverlap, upscaler.Options.MaxBandBytes);
        budget.EnsureFits(peak);
        return new Admission(header, peak);
    }

    /// <param name="admission">What <see cref="Admit"/> found on the way in; a worker in another process, which has only
    /// the bytes, admits them again.</param>
    /// <param name="waitForMemory">Jobs wait for room in the memory budget; synchronous requests get 429 instead.</param>
    public async Task<UpscaleOutcome> RunAsync(byte[] input, UpscaleParameters p, Admission? admission, IProgress<UpscaleProgress>? progress,
        CancellationToken ct, bool waitForMemory = true)
    {
        var sw = Stopwatch.StartNew();
        admission ??= Admit(input, p);
        var header = admission.Header;
        var format = p.Format ?? ImageFormats.OutputFor(header.Format);
        var key = ResultKey.For(input, p.CacheKeySuffix(format));
        if (await cache.GetAsync(key, ct) is { } cached)
        {
            metrics.CacheLookup(hit: true);
            progress?.Report(new UpscaleProgress(1, 1));
            return cached with { CacheHit = true, Elapsed = sw.Elapsed, Key = key };
        }
        metrics.CacheLookup(hit: false);
        using var lease = waitForMemory ? await budget.ReserveAsync(admission.PeakBytes, ct) : budget.Reserve(admission.PeakBytes);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(options.Limits.MaxJobSeconds));
        var request = new UpscaleRequest
        {
            Model = p.Model,
            Scale = p.Scale,
            Format = format,
            Quality = p.Quality,
            TileSize = options.TileSize,
            Limits = options.Limits.ImageLimits,
            Ensemble = p.Ensemble,
            Restore = p.Restore,
            Colour = p.Colour,
            Header = header,
        };
        UpscaleResult result;
        try
        {
            result = await upscaler.UpscaleAsync(input, request, progress, limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            metrics.Rejected("time_limit");
            throw new TimeLimitException(options.Limits.MaxJobSeconds);
        }
        metrics.Inference(result.Model, result.Scale, result.InferenceTime);
        var outcome = UpscaleOutcome.Fresh(result.Data, ImageFormats.MediaType(result.Format), ImageFormats.Extension(result.Format),
            result.Width, result.Height, sw.Elapsed) with
        {
            Key = key,
            IccProfileDropped = result.IccProfileDropped,
            Restore = result.Restore,
            Notes = result.Notes,
        };
        try
        {
            return outcome with { Stored = await cache.PutAsync(key, outcome, ct) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PayloadTooLargeException
                                   || StorageFailures.IsOutage(e) || StorageFailures.IsOutOfMemory(e))
        {
            // A full or broken cache disk, or Redis gone for a moment, costs a cache entry, never the finished result:
            // the job's end then stores it (waiting out the outage), and the work is not done again.
            log.LogWarning("Could not cache a result ({Reason}); it is kept all the same", e.Message);
            return outcome;
        }
    }
}
