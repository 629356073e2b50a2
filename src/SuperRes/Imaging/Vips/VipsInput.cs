using NetVips;

namespace SuperRes.Imaging.Vips;

/// <summary>
/// An input file opened by libvips: the loader of its format only (never libvips' guess), its header, and the
/// pipeline that turns it into what the model takes: upright, within the size limit, in sRGB, colour split from
/// alpha, 8 or 16 bits. Nothing is decoded until rows are pulled (<see cref="VipsRows"/>).
/// </summary>
internal static class VipsInput
{
    public static Image Load(byte[] data, ImageFormat format, Enums.Access access)
    {
        VipsRuntime.Ensure();
        try
        {
            // Refusing a truncated file keeps today's answer (422), where libvips would fill the missing rows grey.
            var fail = Enums.FailOn.Truncated;
            return format switch
            {
                ImageFormat.Png => Image.PngloadBuffer(data, access: access, failOn: fail),
                ImageFormat.Jpeg => Image.JpegloadBuffer(data, access: access, failOn: fail),
                ImageFormat.WebP => Image.WebploadBuffer(data, access: access, failOn: fail),
                ImageFormat.Tiff => Image.TiffloadBuffer(data, access: access, failOn: fail),
                // Counting a GIF's frames walks the whole file back and forth: GIFs are read with random access.
                ImageFormat.Gif => Image.GifloadBuffer(data, access: Enums.Access.Random, failOn: fail),
                ImageFormat.Heic or ImageFormat.Avif => Image.HeifloadBuffer(data, access: access, failOn: fail),
                ImageFormat.Bmp => Image.MagickloadBuffer(data, access: access, failOn: fail),
                _ => throw new InvalidImageException($"The file is not a {ImageFormats.InputList} image.", InvalidImageReason.UnsupportedFormat),
            };
        }
        catch (VipsException e)
        {
            throw Corrupt(format, e);
        }
    }

    public static InvalidImageException Corrupt(ImageFormat format, Exception inner) =>
        new($"The {Name(format)} file could not be decoded; it is corrupt or truncated.", InvalidImageReason.Corrupt, inner);

    public static string Name(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "JPEG",
        ImageFormat.WebP => "WebP",
        _ => format.ToString().ToUpperInvariant(),
    };

    public static ImageHeader Header(Image image, ImageFormat format)
    {
        int width = image.Width, height = image.Height;
        if (width <= 0 || height <= 0)
        {
            throw new InvalidImageException($"The {Name(format)} header gives an invalid size {width}x{height}.", InvalidImageReason.Corrupt);
        }
        bool wide = image.Format is Enums.BandFormat.Ushort or Enums.BandFormat.Short or Enums.BandFormat.Float or Enums.BandFormat.Double
            or Enums.BandFormat.Uint or Enums.BandFormat.Int;
        int channels = Math.Max(3, image.HasAlpha() ? 4 : 3);
        return new ImageHeader(format, width, height, channels * (wide ? 2 : 1))
        {
            Orientation = Int(image, "orientation") is >= 1 and <= 8 and var o ? o : 1,
            Frames = Math.Max(1, Int(image, "n-pages") ?? 1),
            IccProfileBytes = image.Contains("icc-profile-data") ? ((byte[])image.Get("icc-profile-data")).Length : 0,
        };
    }

    private static int? Int(Image image, string field) => image.Contains(field) ? Convert.ToInt32(image.Get(field)) : null;
}
