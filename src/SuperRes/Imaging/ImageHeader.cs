namespace SuperRes.Imaging;

/// <summary>Format, pixel size and sample layout of an image, read from its header without decoding the pixels.</summary>
/// <param name="BytesPerPixel">
/// What one pixel costs once OpenCV has decoded it (channels x bytes per sample), as the header declares
/// it: the basis of the memory budget before any pixel is decoded.
/// </param>
public sealed record ImageHeader(ImageFormat Format, int Width, int Height, int BytesPerPixel = 4)
{
    public double Megapixels => (double)Width * Height / 1_000_000.0;

    public long Pixels => (long)Width * Height;

    /// <summary>Bytes the decoded image occupies.</summary>
    public long DecodedBytes => Pixels * BytesPerPixel;
}
