using OpenCvSharp;

namespace SuperRes.Imaging;

/// <summary>
/// Encodes 8- or 16-bit grey, BGR or BGRA pixels. Drops what a format cannot hold (alpha in JPEG and
/// BMP, 16 bits outside PNG and TIFF) and embeds the ICC profile where the container carries it.
/// </summary>
public static class ImageEncoder
{
    public static byte[] Encode(Mat pixels, EncodeOptions options, byte[]? iccProfile = null)
    {
        if (options.Quality is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Quality must be between 1 and 100.");
        }
        var format = options.Format;
        Mat? converted = null;
        try
        {
            var mat = pixels;
            if (mat.Channels() == 4 && !ImageFormats.SupportsAlpha(format))
            {
                converted = new Mat();
                Cv2.CvtColor(mat, converted, ColorConversionCodes.BGRA2BGR);
                mat = converted;
            }
            if (mat.Depth() == MatType.CV_16U && !ImageFormats.Supports16Bit(format))
            {
                var eight = new Mat();
                mat.ConvertTo(eight, MatType.CV_8U, 1.0 / 257);
                converted?.Dispose();
                converted = eight;
                mat = eight;
            }
            int[] parameters = format switch
            {
                ImageFormat.Jpeg => [(int)ImwriteFlags.JpegQuality, Math.Min(100, options.Quality)],
                ImageFormat.WebP => [(int)ImwriteFlags.WebPQuality, options.Quality],
                _ => [],
            };
            Cv2.ImEncode(ImageFormats.Extension(format), mat, out var bytes, parameters);
            return iccProfile is { Length: > 0 } && IccProfileWriter.CanEmbed(format)
                ? IccProfileWriter.Embed(bytes, format, iccProfile)
                : bytes;
        }
        finally
        {
            converted?.Dispose();
        }
    }
}
