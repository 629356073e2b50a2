using OpenCvSharp;

namespace SuperRes.Imaging;

/// <summary>Decodes PNG, JPEG, WebP, TIFF and BMP bytes (8 or 16 bit, grey or colour, with or without alpha) into a <see cref="DecodedImage"/>.</summary>
public static class ImageDecoder
{
    static ImageDecoder() => OpenCvDecoderLimits.Apply();

    /// <param name="limits">Sizes checked from the header before any pixel is decoded; null = none but the metadata cap.</param>
    /// <param name="header">The header, when the caller has read it already (it is read once per request).</param>
    public static DecodedImage Decode(byte[] data, ImageLimits? limits = null, ImageHeader? header = null)
    {
        limits ??= ImageLimits.None;
        header ??= ImageMetadataReader.ReadHeader(data);
        var (width, height) = limits.Admit(header);
        ImageMetadataReader.CheckContainer(data, header.Format);
        if (header.Format == ImageFormat.Jpeg && !JpegHasEnd(data))
        {
            throw new InvalidImageException("The JPEG file is truncated (it has no end-of-image marker).", InvalidImageReason.Corrupt);
        }

        Mat raw;
        try
        {
            raw = Cv2.ImDecode(data, ImreadModes.Unchanged);
        }
        catch (OpenCVException e)
        {
            throw new InvalidImageException($"The {header.Format} file could not be decoded; it is corrupt or truncated.", InvalidImageReason.Corrupt, e);
        }
        if (raw.Empty())
        {
            raw.Dispose();
            throw new InvalidImageException($"The {header.Format} file could not be decoded; it is corrupt or truncated.", InvalidImageReason.Corrupt);
        }
        if (raw.Cols != header.Width || raw.Rows != header.Height)
        {
            // Every limit was checked against the header: pixels of another size were never admitted.
            var decoded = $"{raw.Cols}x{raw.Rows}";
            raw.Dispose();
            throw new InvalidImageException($"The {header.Format} header says {header.Width}x{header.Height} but the data decodes to {decoded}.", InvalidImageReason.Corrupt);
        }

        raw = ExifOrientation.Apply(raw, ImageMetadataReader.ReadOrientation(data));
        bool downscaled = (width, height) != (header.Width, header.Height);
        if (downscaled)
        {
            raw = Shrink(raw, limits.MaxMegapixels);
        }
        var (icc, iccDropped) = ImageMetadataReader.ReadIcc(data, limits.MaxIccProfileBytes);
        using (raw)
        {
            return Split(raw, header.Format, icc, iccDropped, downscaled);
        }
    }

    private static DecodedImage Split(Mat raw, ImageFormat format, byte[]? icc, bool iccDropped, bool downscaled)
    {
        int depth = raw.Depth();
        int bits = depth is MatType.CV_16U or MatType.CV_16S or MatType.CV_32F ? 16 : 8;
        if (depth is not (MatType.CV_8U or MatType.CV_16U or MatType.CV_32F))
        {
            throw new InvalidImageException($"Images with {raw.Type()} samples are not supported.", InvalidImageReason.UnsupportedFormat);
        }
        int channels = raw.Channels();
        Mat? alpha = null;
        using var colour = new Mat();
        switch (channels)
        {
            case 1:
                Cv2.CvtColor(raw, colour, ColorConversionCodes.GRAY2BGR);
                break;
            case 2:
                Cv2.CvtColor(raw.ExtractChannel(0), colour, ColorConversionCodes.GRAY2BGR);
                alpha = raw.ExtractChannel(1);
                break;
            case 3:
                raw.CopyTo(colour);
                break;
            case 4:
                Cv2.CvtColor(raw, colour, ColorConversionCodes.BGRA2BGR);
                alpha = raw.ExtractChannel(3);
                break;
            default:
                throw new InvalidImageException($"Images with {channels} channels are not supported.", InvalidImageReason.UnsupportedFormat);
        }
        if (alpha is not null && depth == MatType.CV_32F)
        {
            var a16 = new Mat();
            alpha.ConvertTo(a16, MatType.CV_16U, 65535);
            alpha.Dispose();
            alpha = a16;
        }
        // Float TIFFs (values in [0, 1]) are kept as 16 bit: all the precision the outputs can hold.
        var kept = new Mat();
        colour.ConvertTo(kept, depth == MatType.CV_8U ? MatType.CV_8UC3 : MatType.CV_16UC3, depth == MatType.CV_32F ? 65535 : 1);
        return new DecodedImage
        {
            Colour = kept,
            Alpha = alpha,
            IsGrayscale = channels <= 2,
            BitDepth = bits,
            SourceFormat = format,
            IccProfile = icc,
            IccProfileDropped = iccDropped,
            WasDownscaled = downscaled,
        };
    }

    private static Mat Shrink(Mat raw, double maxMegapixels)
    {
        var (w, h) = ImageLimits.ShrunkSize(raw.Cols, raw.Rows, maxMegapixels);
        var size = new Size(w, h);
        var small = new Mat();
        Cv2.Resize(raw, small, size, 0, 0, InterpolationFlags.Area);
        raw.Dispose();
        return small;
    }

    private static bool JpegHasEnd(byte[] data)
    {
        // After the scan header, 0xFF in entropy-coded data is always stuffed (FF 00) or a restart
        // marker, so FF D9 there can only be the end-of-image marker.
        int sos = data.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        return sos >= 0 && data.AsSpan(sos).IndexOf([(byte)0xFF, (byte)0xD9]) >= 0;
    }
}
