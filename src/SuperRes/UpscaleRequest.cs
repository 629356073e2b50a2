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

    /// <summary>Scales a request may ask for; which of them a model has is the model's to say.</summary>
    public const int MinScale = 2, MaxScale = 8;

    /// <summary>
    /// The one set of rules for a request, whoever builds it (the CLI's options, the API's form fields): empty when the
    /// request is well formed. Each message starts with the field's name ("scale must ..."), so a host can prefix it
    /// with its own spelling of the field (--scale). Whether the model exists and has the scale is checked when it is
    /// resolved.
    /// </summary>
    public IReadOnlyList<RequestProblem> Validate()
    {
        var problems = new List<RequestProblem>();
        if (Scale is < MinScale or > MaxScale)
        {
            problems.Add(new("scale", $"scale must be a whole number from {MinScale} to {MaxScale} (2, 3 and 4 for most models, 8 for some)."));
        }
        if (Quality is < 1 or > 100)
        {
            problems.Add(new("quality", "quality must be a whole number from 1 to 100."));
        }
        if (Format is { } format && !ImageFormats.CanWrite(format))
        {
            problems.Add(new("format", $"format must be {ImageFormats.OutputList}."));
        }
        if (TileSize is < 0)
        {
            problems.Add(new("tile", "tile cannot be negative (0 is the whole image)."));
        }
        if (Restore.Strength is > 0 && Restoration.RestoringPairs.Missing(Model ?? ModelCatalog.DefaultModel, Scale) is { } missing)
        {
            problems.Add(new("restore", missing));
        }
        return problems;
    }
}

/// <summary>One thing wrong with a request: the field (as the library names it) and a sentence that starts with it.</summary>
public sealed record RequestProblem(string Field, string Message);
