using System.Security.Cryptography;
using NetVips;
using OpenCvSharp;
using SuperRes.Imaging.Vips;

namespace SuperRes.Imaging;

/// <summary>
/// Encodes 8- or 16-bit grey, BGR or BGRA pixels with libvips' writers. Drops what a format cannot hold (alpha in
/// JPEG and BMP, 16 bits outside PNG and TIFF), converts back from sRGB to the input's profile when asked, and embeds
/// the profile in every format that carries one (PNG, JPEG, WebP, TIFF, AVIF).
/// </summary>
public static class ImageEncoder
{
    /// <param name="iccProfile">The profile to embed (the input's), or null.</param>
    /// <param name="fromSrgb">The pixels are in sRGB and must be converted to <paramref name="iccProfile"/> first.</param>
    public static byte[] Encode(Mat pixels, EncodeOptions options, byte[]? iccProfile = null, bool fromSrgb = false) =>
        Encode(pixels, options, iccProfile, fromSrgb, mayChangePixels: false);

    /// <summary>As <see cref="Encode(Mat, EncodeOptions, byte[], bool)"/>, for pixels nobody reads afterwards (the upscaler's
    /// own output): libvips' RGB order is made in place, a strip at a time, where a copy would cost as much memory as the
    /// picture (1.2 GB for a 20000x20000 JPEG).</summary>
    internal static byte[] EncodeDiscarding(Mat pixels, EncodeOptions options, byte[]? iccProfile, bool fromSrgb) =>
        Encode(pixels, options, iccProfile, fromSrgb, mayChangePixels: true);

    private static byte[] Encode(Mat pixels, EncodeOptions options, byte[]? iccProfile, bool fromSrgb, bool mayChangePixels)
    {
        if (options.Quality is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Quality must be between 1 and 100.");
        }
        var format = options.Format;
        if (!ImageFormats.CanWrite(format))
        {
            throw new ArgumentException($"{VipsInput.Name(format)} cannot be written; choose {ImageFormats.OutputList}.", nameof(options));
        }
        VipsRuntime.Ensure();
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
            if (!mat.IsContinuous())
            {
                var copy = mat.Clone();
                converted?.Dispose();
                converted = copy;
                mat = copy;
            }
            var profile = iccProfile is { Length: > 0 } && ImageFormats.CarriesProfile(format) ? iccProfile : null;
            bool convert = ConvertsBack(profile, fromSrgb, mat.Channels());
            if (format == ImageFormat.Png && !convert)
            {
                return PngWriter.Encode(mat, profile);
            }
            // libvips takes RGB: pixels made here (or given to be thrown away) are reordered where they are, the caller's copied.
            bool owned = mayChangePixels || converted is not null;
            using var rgb = owned ? null : Rgb(mat);
            if (owned)
            {
                ToRgbInPlace(mat);
            }
            using var image = Wrap(rgb ?? mat);
            using var tagged = Tag(image, profile, convert, mat.Depth() == MatType.CV_16U);
            return format == ImageFormat.Png ? PngOf(tagged, profile!) : Save(tagged, format, options.Quality);
        }
        catch (VipsException e)
        {
            throw new InvalidOperationException($"libvips could not write the {VipsInput.Name(format)} file: {e.Message.Trim()}", e);
        }
        finally
        {
            converted?.Dispose();
        }
    }

    /// <summary>Whether writing first converts colour pixels from sRGB back to <paramref name="profile"/> (libvips does that;
    /// any other PNG goes to <see cref="PngWriter"/> as it is, which is what lets it start before the last tile).</summary>
    public static bool ConvertsBack(byte[]? profile, bool fromSrgb, int channels) =>
        profile is { Length: > 0 } && fromSrgb && channels >= 3;

    /// <summary>JPEG with libjpeg's standard tables at <paramref name="quality"/> and 4:2:0 chroma, as every JPEG here is
    /// written (and libjpeg and most cameras and apps write): how <c>bench quality --degrade jpeg:Q</c> makes its inputs.</summary>
    public static byte[] EncodeJpeg420(Mat pixels, int quality) => Encode(pixels, new EncodeOptions(ImageFormat.Jpeg, quality));

    /// <summary>BGR(A) pixels reordered to RGB(A) for libvips, or null for grey: OpenCV's SIMD conversion takes about
    /// half what libvips' band split and join did (a 12 MP JPEG's encode 0.09-0.11 → 0.07 s).</summary>
    private static Mat? Rgb(Mat mat)
    {
        if (mat.Channels() < 3)
        {
            return null;
        }
        var rgb = new Mat();
        Cv2.CvtColor(mat, rgb, mat.Channels() == 4 ? ColorConversionCodes.BGRA2RGBA : ColorConversionCodes.BGR2RGB);
        return rgb;
    }

    /// <summary>BGR(A) pixels turned to RGB(A) where they are, 64 rows at a time through a small buffer (OpenCV's own
    /// in-place conversion copies the whole picture first); grey stays as it is.</summary>
    private static void ToRgbInPlace(Mat mat)
    {
        if (mat.Channels() < 3)
        {
            return;
        }
        var code = mat.Channels() == 4 ? ColorConversionCodes.BGRA2RGBA : ColorConversionCodes.BGR2RGB;
        using var swapped = new Mat();
        int height = mat.Rows;
        for (int top = 0; top < height; top += 64)
        {
            using var strip = mat.RowRange(top, Math.Min(height, top + 64));
            Cv2.CvtColor(strip, swapped, code);
            swapped.CopyTo(strip);
        }
    }

    /// <summary>The Mat's pixels as a libvips image (no copy: the Mat must outlive it), in the Mat's channel order.</summary>
    private static Image Wrap(Mat mat)
    {
        var bandFormat = mat.Depth() == MatType.CV_16U ? Enums.BandFormat.Ushort : Enums.BandFormat.Uchar;
        ulong size = (ulong)mat.Total() * (ulong)mat.ElemSize();
        using var raw = Image.NewFromMemory(mat.Data, size, mat.Cols, mat.Rows, mat.Channels(), bandFormat);
        bool sixteen = bandFormat == Enums.BandFormat.Ushort;
        return raw.Copy(interpretation: mat.Channels() == 1
            ? sixteen ? Enums.Interpretation.Grey16 : Enums.Interpretation.Bw
            : sixteen ? Enums.Interpretation.Rgb16 : Enums.Interpretation.Srgb);
    }

    private static Image Tag(Image image, byte[]? profile, bool fromSrgb, bool sixteen)
    {
        if (profile is null)
        {
            return image.Copy();
        }
        if (fromSrgb)
        {
            // Back from sRGB (what the model worked in) to the input's own profile; libvips attaches it as it converts.
            return image.IccTransform(ProfileFile(profile), inputProfile: "srgb", intent: Enums.Intent.Relative, depth: sixteen ? 16 : 8);
        }
        return image.Mutate(m => m.Set(GValue.BlobType, "icc-profile-data", profile));
    }

    /// <summary>Pixels libvips converted to the output profile, written by <see cref="PngWriter"/> like every PNG.</summary>
    private static byte[] PngOf(Image converted, byte[] profile)
    {
        var depth = converted.Format == Enums.BandFormat.Ushort ? MatType.CV_16U : MatType.CV_8U;
        var pixels = converted.WriteToMemory<byte>(); // interleaved RGB(A), as the Mat below holds them
        using var mat = new Mat(converted.Height, converted.Width, MatType.MakeType(depth, converted.Bands));
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, mat.Data, pixels.Length);
        return PngWriter.Encode(mat, profile, bgr: false);
    }

    private static byte[] Save(Image image, ImageFormat format, int quality) => format switch
    {
        // 4:2:0 chroma at every quality, as libjpeg, OpenCV and most apps write (libvips alone keeps full chroma from 90):
        // a JPEG input already carries half-resolution chroma, and full chroma made a 12 MP output 35 % larger and its
        // encode twice as slow (0.125 against 0.06 s).
        ImageFormat.Jpeg => image.JpegsaveBuffer(q: quality, subsampleMode: Enums.ForeignSubsample.On),
        ImageFormat.WebP => image.WebpsaveBuffer(q: quality),
        ImageFormat.Tiff => image.TiffsaveBuffer(compression: Enums.ForeignTiffCompression.Lzw),
        ImageFormat.Avif => image.HeifsaveBuffer(q: quality, compression: Enums.ForeignHeifCompression.Av1, effort: AvifEffort),
        ImageFormat.Bmp => image.MagicksaveBuffer(format: "bmp"),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>libaom's speed 0 (best) to 9: 4 keeps a 9 MP AVIF within seconds on two cores.</summary>
    private const int AvifEffort = 4;

    /// <summary>libvips reads output profiles from files: each distinct profile is written once to the temp folder.</summary>
    private static string ProfileFile(byte[] profile)
    {
        var folder = Path.Combine(Path.GetTempPath(), "superres-icc");
        var path = Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(profile)) + ".icc");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(folder);
            var tmp = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(tmp, profile);
            File.Move(tmp, path, overwrite: true);
        }
        return path;
    }
}
