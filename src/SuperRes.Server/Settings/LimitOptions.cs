using System.ComponentModel.DataAnnotations;
using SuperRes.Imaging;

namespace SuperRes.Server.Settings;

/// <summary>What one image and one request may take (section "Limits"): sizes checked from the header before decoding, time, memory, uploads and connections.</summary>
public sealed class LimitOptions
{
    /// <summary>Largest upload accepted (413 above it).</summary>
    [Range(1L, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Largest decoded image, checked from the header before decoding; 0 = no limit.</summary>
    [Range(0.0, 1e6)]
    public double MaxMegapixels { get; set; } = 16;

    /// <summary>Reject (422) or Downscale inputs above <see cref="MaxMegapixels"/>.</summary>
    public OversizePolicy Oversize { get; set; } = OversizePolicy.Reject;

    /// <summary>Decoded inputs above this are shrunk before they are considered (Oversize=Downscale); 0 = four times <see cref="MaxMegapixels"/>.</summary>
    [Range(0.0, 1e6)]
    public double MaxDecodeMegapixels { get; set; }

    /// <summary>Results above this many megapixels (input x scale²) get 422 before any work; 0 = no limit.</summary>
    [Range(0.0, 1e7)]
    public double MaxOutputMegapixels { get; set; } = 150;

    /// <summary>Largest embedded colour profile carried to the output; larger ones are dropped (the response says so).</summary>
    [Range(0, int.MaxValue)]
    public int MaxIccProfileBytes { get; set; } = ImageLimits.DefaultMaxIccProfileBytes;

    /// <summary>All metadata of an upload once inflated (PNG text, EXIF, XMP); a file over it gets 422 before it is decoded.</summary>
    [Range(64 * 1024, long.MaxValue)]
    public long MaxMetadataBytes { get; set; } = ImageLimits.DefaultMaxMetadataBytes;

    /// <summary>
    /// The longest one image may take, decoding to encoding; past it the work is stopped (libvips' pipeline killed, the
    /// engines let go) and the job fails with 422. The default fits the largest input the defaults admit (16 MP at x4,
    /// 256 MP out) with the default model on two cores, about four times over.
    /// </summary>
    [Range(1, 86400)]
    public int MaxJobSeconds { get; set; } = 900;

    /// <summary>
    /// Bytes that images in progress may take together, by their estimated peak (decoded input, output,
    /// encoded output, blending band); 0 = 60 % of the memory available to the process.
    /// </summary>
    [Range(0L, long.MaxValue)]
    public long MemoryBudgetBytes { get; set; }

    /// <summary>The synchronous endpoint is for small images: larger ones are told to use the job API.</summary>
    [Range(0.0, 1e6)]
    public double SyncMaxMegapixels { get; set; } = 1;

    /// <summary>Synchronous requests upscaling at once; more get 429.</summary>
    [Range(1, 1024)]
    public int SyncConcurrency { get; set; } = 2;

    /// <summary>Uploads being received or worked on at once (both upload endpoints together); more get 429.</summary>
    [Range(1, 100_000)]
    public int MaxUploadsInFlight { get; set; } = 8;

    /// <summary>Open connections Kestrel accepts at once.</summary>
    [Range(1L, 1_000_000L)]
    public long MaxConnections { get; set; } = 256;

    /// <summary>The limits every image is checked against, from the header, before it is decoded.</summary>
    public ImageLimits ImageLimits => new()
    {
        MaxMegapixels = MaxMegapixels,
        Oversize = Oversize,
        MaxDecodeMegapixels = MaxDecodeMegapixels,
        MaxOutputMegapixels = MaxOutputMegapixels,
        MaxIccProfileBytes = MaxIccProfileBytes,
        MaxMetadataBytes = MaxMetadataBytes,
    };
}
