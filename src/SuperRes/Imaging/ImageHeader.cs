namespace SuperRes.Imaging;

/// <summary>Format and pixel size of an image, read from its header without decoding the pixels.</summary>
public sealed record ImageHeader(ImageFormat Format, int Width, int Height)
{
    public double Megapixels => (double)Width * Height / 1_000_000.0;
}
