namespace SuperRes.Imaging;

/// <summary>Image container formats SuperRes reads; all but <see cref="Heic"/> and <see cref="Gif"/> it also writes.</summary>
public enum ImageFormat
{
    Png,
    Jpeg,
    WebP,
    Tiff,
    Bmp,
    Avif,
    Heic,
    Gif,
}
