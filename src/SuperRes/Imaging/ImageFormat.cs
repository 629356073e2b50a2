namespace SuperRes.Imaging;

/// <summary>Image container formats SuperRes reads and writes.</summary>
public enum ImageFormat
{
    Png,
    Jpeg,
    WebP,
    Tiff,
    Bmp,
}
