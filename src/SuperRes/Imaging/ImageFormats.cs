namespace SuperRes.Imaging;

/// <summary>Recognises formats from their leading bytes and from names the user types, and says what each can hold.</summary>
public static class ImageFormats
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The formats an input may be in, as the refusal of anything else words it.</summary>
    public const string InputList = "PNG, JPEG, WebP, TIFF, BMP, HEIC, AVIF or GIF";

    /// <summary>The formats a result may be written in (<c>--format</c>, the API's <c>format</c>).</summary>
    public const string OutputList = "png, jpg, webp, tiff, bmp or avif";

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
        if (data.Length >= 6 && (data[..6].SequenceEqual("GIF87a"u8) || data[..6].SequenceEqual("GIF89a"u8)))
        {
            return ImageFormat.Gif;
        }
        // ISO base media (HEIF): a first box 'ftyp' whose major brand names the coding.
        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = System.Text.Encoding.ASCII.GetString(data[8..12]);
            return brand switch
            {
                "avif" or "avis" => ImageFormat.Avif,
                "heic" or "heix" or "hevc" or "hevx" or "heim" or "heis" or "mif1" or "msf1" => ImageFormat.Heic,
                _ => null,
            };
        }
        return null;
    }

    /// <summary>Parses "png", "jpg", ".jpeg", "webp", "tif", "avif" and the like, as output formats; null if unknown.</summary>
    public static ImageFormat? Parse(string? name) => name?.TrimStart('.').ToLowerInvariant() switch
    {
        "png" => ImageFormat.Png,
        "jpg" or "jpeg" => ImageFormat.Jpeg,
        "webp" => ImageFormat.WebP,
        "tif" or "tiff" => ImageFormat.Tiff,
        "bmp" => ImageFormat.Bmp,
        "avif" => ImageFormat.Avif,
        _ => null,
    };

    /// <summary>File extensions of inputs (folders are searched for these).</summary>
    private static readonly HashSet<string> InputExtensions =
        new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp", ".avif", ".heic", ".heif", ".gif" };

    public static bool IsImageFile(string path) => InputExtensions.Contains(Path.GetExtension(path));

    /// <summary>The input format a file name's extension says (".heic" is HEIC, ".jpeg" JPEG); null when it names none.</summary>
    public static ImageFormat? FromExtension(string path) => Path.GetExtension(path).TrimStart('.').ToLowerInvariant() switch
    {
        "heic" or "heif" => ImageFormat.Heic,
        "gif" => ImageFormat.Gif,
        var other => Parse(other),
    };

    /// <summary>What a result is written as when no format is asked for: the input's own, or the nearest writable one
    /// (HEIC becomes JPEG, which every viewer opens; GIF becomes PNG).</summary>
    public static ImageFormat OutputFor(ImageFormat input) => input switch
    {
        ImageFormat.Heic => ImageFormat.Jpeg,
        ImageFormat.Gif => ImageFormat.Png,
        _ => input,
    };

    public static bool CanWrite(ImageFormat format) => format is not (ImageFormat.Heic or ImageFormat.Gif);

    public static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Png => ".png",
        ImageFormat.Jpeg => ".jpg",
        ImageFormat.WebP => ".webp",
        ImageFormat.Tiff => ".tiff",
        ImageFormat.Bmp => ".bmp",
        ImageFormat.Avif => ".avif",
        ImageFormat.Heic => ".heic",
        ImageFormat.Gif => ".gif",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string MediaType(ImageFormat format) => format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.WebP => "image/webp",
        ImageFormat.Tiff => "image/tiff",
        ImageFormat.Bmp => "image/bmp",
        ImageFormat.Avif => "image/avif",
        ImageFormat.Heic => "image/heic",
        ImageFormat.Gif => "image/gif",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The largest side a format's encoder writes (libjpeg: 65,500; libwebp: 16,383; AV1 in HEIF: 65,536).</summary>
    public static int MaxSide(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => 65_500,
        ImageFormat.WebP => 16_383,
        ImageFormat.Avif => 65_536,
        _ => int.MaxValue,
    };

    /// <summary>Formats whose encoder keeps 16 bits per sample.</summary>
    public static bool Supports16Bit(ImageFormat format) => format is ImageFormat.Png or ImageFormat.Tiff;

    /// <summary>Formats whose encoder keeps an alpha channel.</summary>
    public static bool SupportsAlpha(ImageFormat format) => format is ImageFormat.Png or ImageFormat.Tiff or ImageFormat.WebP or ImageFormat.Avif;

    /// <summary>Formats whose files carry an ICC colour profile (BMP's is not written).</summary>
    public static bool CarriesProfile(ImageFormat format) => format is not ImageFormat.Bmp;
}
