namespace SuperRes.Imaging;

/// <summary>Recognises formats from their leading bytes and from names the user types.</summary>
public static class ImageFormats
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageFormat? Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 8 && data[..8].SequenceEqual(PngSignature))
        {
            return ImageFormat.Png;
        }
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }
        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }
        if (data.Length >= 4 && (data[..4].SequenceEqual("II*\0"u8) || data[..4].SequenceEqual("MM\0*"u8)))
        {
            return ImageFormat.Tiff;
        }
        if (data.Length >= 2 && data[0] == 'B' && data[1] == 'M')
        {
            return ImageFormat.Bmp;
        }
        return null;
    }

    /// <summary>Parses "png", "jpg", ".jpeg", "webp", "tif" and the like; null if unknown.</summary>
    public static ImageFormat? Parse(string? name) => name?.TrimStart('.').ToLowerInvariant() switch
    {
        "png" => ImageFormat.Png,
        "jpg" or "jpeg" => ImageFormat.Jpeg,
        "webp" => ImageFormat.WebP,
        "tif" or "tiff" => ImageFormat.Tiff,
        "bmp" => ImageFormat.Bmp,
        _ => null,
    };

    public static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Png => ".png",
        ImageFormat.Jpeg => ".jpg",
        ImageFormat.WebP => ".webp",
        ImageFormat.Tiff => ".tiff",
        ImageFormat.Bmp => ".bmp",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string MediaType(ImageFormat format) => format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.WebP => "image/webp",
        ImageFormat.Tiff => "image/tiff",
        ImageFormat.Bmp => "image/bmp",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Formats whose encoder keeps 16 bits per sample.</summary>
    public static bool Supports16Bit(ImageFormat format) => format is ImageFormat.Png or ImageFormat.Tiff;

    /// <summary>Formats whose encoder keeps an alpha channel.</summary>
    public static bool SupportsAlpha(ImageFormat format) => format is ImageFormat.Png or ImageFormat.Tiff or ImageFormat.WebP;

    public static bool IsImageFile(string path) => Parse(Path.GetExtension(path)) is not null;
}
