using SuperRes.Imaging;
using SuperRes.Models;

namespace SuperRes;

/// <summary>One image's job: which model and scale, what to write, and the input limits.</summary>
public sealed record UpscaleRequest
{
    /// <summary>Model name or file path; null = the default model.</summary>
    public string? Model { get; init; }

    /// <summary>2, 3, 4 (or what the model offers); null = 3 for multi-scale models, else the file's own scale.</summary>
    public int? Scale { get; init; }

    /// <summary>Output format; null = the input's format (HEIC: JPEG, GIF: PNG).</summary>
    public ImageFormat? Format { get; init; }

    public int Quality { get; init; } = 95;

    /// <summary>Where the colours go: back to the input's profile (keep, the default) or sRGB without a profile.</summary>
    public ColourMode Colour { get; init; }

    /// <summary>Tile edge in input pixels for this image; null = the upscaler's setting, 0 = whole image.</summary>
    public int? TileSize { get; init; }

    /// <summary>Input and output sizes and metadata caps, checked from the header before decoding.</summary>
    public ImageLimits Limits { get; init; } = ImageLimits.None;

    public ModelOverrides? Overrides { get; init; }

    /// <summary>The input's header, when the caller has read it already (to check limits before queueing): the pipeline
    /// then reads it no more (one parse per request); null = read it from the bytes.</summary>
    public ImageHeader? Header { get; init; }

    /// <summary>Restoration of JPEG artefacts and noise, for models with a restoring pair (superres-edsr): auto (from the
    /// file) by default, or a fixed strength from 0 to 1. Other models ignore auto and refuse a fixed strength.</summary>
    public Restoration.Restore Restore { get; init; }

    /// <summary>Self-ensemble: every tile in its 8 orientations, averaged (a few tenths of a dB, 8 times the time).</summary>
    public bool Ensemble { get; init; }
}
