using SuperRes.Imaging.Vips;

namespace SuperRes.Imaging;

/// <summary>
/// Reads an image's header with the decoder that will decode its pixels (libvips, through the loader of the file's
/// format), after the checks libvips does not make (<see cref="InputGuards"/>). One decoder for both means the size
/// checked is the size decoded: a file cannot show the limits one size and the decoder another.
/// </summary>
public static class ImageMetadataReader
{
    public static ImageHeader ReadHeader(byte[] data, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.None;
        var format = Sniff(data);
        bool unusableProfile = InputGuards.Check(data, format, limits);
        using var image = VipsInput.Load(data, format, NetVips.Enums.Access.Sequential);
        var header = VipsInput.Header(image, format);
        return header with { IccProfileUnusable = unusableProfile || header.IccProfileBytes > limits.MaxIccProfileBytes };
    }

    /// <summary>The embedded ICC profile as libvips reads it, or null.</summary>
    public static byte[]? ReadIccProfile(byte[] data)
    {
        var format = Sniff(data);
        using var image = VipsInput.Load(data, format, NetVips.Enums.Access.Sequential);
        return image.Contains("icc-profile-data") ? (byte[])image.Get("icc-profile-data") : null;
    }

    /// <summary>EXIF orientation 1..8 (1 = as stored, also when absent).</summary>
    public static int ReadOrientation(byte[] data) => ReadHeader(data).Orientation;

    /// <summary>The format from the first bytes; refuses empty and unknown files in one sentence.</summary>
    public static ImageFormat Sniff(byte[] data) =>
        data.Length == 0 ? throw new InvalidImageException("The file is empty (0 bytes).", InvalidImageReason.Empty)
        : ImageFormats.Detect(data) ?? throw new InvalidImageException($"The file is not a {ImageFormats.InputList} image.", InvalidImageReason.UnsupportedFormat);
}
