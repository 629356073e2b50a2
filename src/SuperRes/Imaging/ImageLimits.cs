namespace SuperRes.Imaging;

/// <summary>
/// What one image may cost, checked from its header before any pixel is decoded. The defaults bound nothing
/// but metadata: a library caller or host sets the sizes it can afford.
/// </summary>
public sealed record ImageLimits
{
    /// <summary>Inputs above this many megapixels are downscaled or rejected (<see cref="Oversize"/>); 0 = no limit.</summary>
    public double MaxMegapixels { get; init; }

    public OversizePolicy Oversize { get; init; } = OversizePolicy.Downscale;

    /// <summary>
    /// With <see cref="OversizePolicy.Downscale"/>: the largest input that is decoded at all before it is shrunk;
    /// 0 = four times <see cref="MaxMegapixels"/>. Shrinking needs the whole image decoded first, so this is
    /// what bounds the decoder's memory.
    /// </summary>
    public double MaxDecodeMegapixels { get; init; }

    /// <summary>Results above this many megapixels (input x scale²) are refused before any work; 0 = no limit.</summary>
    public double MaxOutputMegapixels { get; init; }

    /// <summary>Largest embedded ICC profile kept (after decompression); a larger one is dropped and the result says so.</summary>
    public int MaxIccProfileBytes { get; init; } = DefaultMaxIccProfileBytes;

    /// <summary>4 MiB: larger than any real colour profile, far below what a compressed bomb inflates to.</summary>
    public const int DefaultMaxIccProfileBytes = 4 * 1024 * 1024;

    /// <summary>All metadata of a file once inflated (PNG text, EXIF, XMP and profile chunks): a file over it is
    /// refused before it is decoded (see <see cref="InputGuards"/>).</summary>
    public long MaxMetadataBytes { get; init; } = DefaultMaxMetadataBytes;

    /// <summary>16 MiB: a photo's EXIF, XMP and profile together stay well under 1 MiB.</summary>
    public const long DefaultMaxMetadataBytes = 16L * 1024 * 1024;

    public static ImageLimits None { get; } = new();

    /// <summary>The most pixels this policy lets the decoder produce; 0 = unbounded.</summary>
    public double DecodeCeilingMegapixels => MaxMegapixels <= 0 ? 0
        : Oversize == OversizePolicy.Reject ? MaxMegapixels
        : MaxDecodeMegapixels > 0 ? Math.Max(MaxDecodeMegapixels, MaxMegapixels) : 4 * MaxMegapixels;

    /// <summary>Refuses a header this policy cannot decode; returns the size the image will have after any shrink.</summary>
    public (int Width, int Height) Admit(ImageHeader header)
    {
        double ceiling = DecodeCeilingMegapixels;
        if (ceiling > 0 && header.Megapixels > ceiling)
        {
            string what = Oversize == OversizePolicy.Reject ? "the limit" : "the largest image this server shrinks";
            throw new InvalidImageException(
                $"The image is {header.Width}x{header.Height} ({header.Megapixels:0.##} megapixels), above {what} of {ceiling:0.##} megapixels.",
                InvalidImageReason.TooLarge);
        }
        return MaxMegapixels > 0 && header.Megapixels > MaxMegapixels ? ShrunkSize(header.Width, header.Height, MaxMegapixels) : (header.Width, header.Height);
    }

    /// <summary>Refuses an output (the admitted input times the scale) above <see cref="MaxOutputMegapixels"/>.</summary>
    public void AdmitOutput(int width, int height, int scale)
    {
        double megapixels = (double)width * scale * height * scale / 1e6;
        if (MaxOutputMegapixels > 0 && megapixels > MaxOutputMegapixels)
        {
            throw new InvalidImageException(
                $"At x{scale} the {width}x{height} image would become {width * scale}x{height * scale} ({megapixels:0.#} megapixels), above the output limit of {MaxOutputMegapixels:0.#} megapixels.",
                InvalidImageReason.TooLarge);
        }
    }

    /// <summary>Refuses an output the chosen format cannot hold (a JPEG over 65,500 pixels a side, say), before any work.</summary>
    public static void AdmitFormat(int width, int height, int scale, ImageFormat format)
    {
        long w = (long)width * scale, h = (long)height * scale;
        int max = ImageFormats.MaxSide(format);
        if (w > max || h > max)
        {
            throw new InvalidImageException(
                $"At x{scale} the result would be {w}x{h}; {format.ToString().ToUpperInvariant()} holds at most {max} pixels a side, so choose png or tiff, or a lower scale.",
                InvalidImageReason.TooLarge);
        }
    }

    /// <summary>The size an image is shrunk to so that it fits <paramref name="maxMegapixels"/>, keeping its aspect.</summary>
    public static (int Width, int Height) ShrunkSize(int width, int height, double maxMegapixels)
    {
        double factor = Math.Sqrt(maxMegapixels * 1e6 / ((double)width * height));
        return (Math.Max(1, (int)(width * factor)), Math.Max(1, (int)(height * factor)));
    }
}
