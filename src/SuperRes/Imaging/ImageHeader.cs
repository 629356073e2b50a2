namespace SuperRes.Imaging;

/// <summary>Format, pixel size and sample layout of an image, as its decoder reads them from the header, before any
/// pixel is decoded: the limits and the memory budget are checked on these.</summary>
/// <param name="Width">Width as stored (before the EXIF orientation turns it).</param>
/// <param name="Height">Height as stored.</param>
/// <param name="BytesPerPixel">What one pixel costs once decoded the way the pipeline holds it (three or four
/// channels at 8 or 16 bits): the basis of the memory budget.</param>
public sealed record ImageHeader(ImageFormat Format, int Width, int Height, int BytesPerPixel = 4)
{
    public double Megapixels => (double)Width * Height / 1_000_000.0;

    public long Pixels => (long)Width * Height;

    /// <summary>Bytes the decoded image occupies when held whole.</summary>
    public long DecodedBytes => Pixels * BytesPerPixel;

    /// <summary>EXIF (or HEIF) orientation 1..8; 1 = as stored.</summary>
    public int Orientation { get; init; } = 1;

    /// <summary>Frames or pages in the file (animations, multi-page TIFF); only the first is upscaled.</summary>
    public int Frames { get; init; } = 1;

    /// <summary>Bytes of the embedded ICC profile (0: none).</summary>
    public int IccProfileBytes { get; init; }

    /// <summary>The file carries a colour profile that cannot be used (over the size limit, or damaged): it is left out.</summary>
    public bool IccProfileUnusable { get; init; }
}
