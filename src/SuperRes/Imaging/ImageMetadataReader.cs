namespace SuperRes.Imaging;

/// <summary>
/// Reads what OpenCV's decoder does not give us: the pixel size before decoding (to enforce limits
/// cheaply), the EXIF orientation and the embedded ICC colour profile.
/// </summary>
public static class ImageMetadataReader
{
    public static ImageHeader ReadHeader(byte[] data)
    {
        if (data.Length == 0)
        {
            throw new InvalidImageException("The file is empty (0 bytes).", InvalidImageReason.Empty);
        }
        var format = ImageFormats.Detect(data)
            ?? throw new InvalidImageException("The file is not a PNG, JPEG, WebP, TIFF or BMP image.", InvalidImageReason.UnsupportedFormat);
        var (w, h) = format switch
        {
            ImageFormat.Png => ((int)Bytes.U32(data, 16, false), (int)Bytes.U32(data, 20, false)),
            ImageFormat.Jpeg => JpegSize(data),
            ImageFormat.WebP => WebPSize(data),
            ImageFormat.Tiff => TiffSize(data),
            ImageFormat.Bmp => ((int)Bytes.U32(data, 18, true), Math.Abs((int)Bytes.U32(data, 22, true))),
            _ => (0, 0),
        };
        if (w <= 0 || h <= 0)
        {
            throw new InvalidImageException($"The {format} header gives an invalid size {w}x{h}.", InvalidImageReason.Corrupt);
        }
        return new ImageHeader(format, w, h);
    }

    /// <summary>EXIF orientation 1..8 (1 = as stored); 1 when absent or unreadable.</summary>
    public static int ReadOrientation(byte[] data)
    {
        try
        {
            var exif = ExifBlock(data);
            if (exif.IsEmpty)
            {
                return 1;
            }
            var o = TiffDirectory.ReadInt(exif, TiffDirectory.Orientation);
            return o is >= 1 and <= 8 ? (int)o : 1;
        }
        catch (InvalidImageException)
        {
            return 1; // a damaged EXIF block must not make a decodable image fail
        }
    }

    /// <summary>The embedded ICC profile, or null.</summary>
    public static byte[]? ReadIccProfile(byte[] data)
    {
        try
        {
            return ImageFormats.Detect(data) switch
            {
                ImageFormat.Png => PngIcc(data),
                ImageFormat.Jpeg => JpegIcc(data),
                ImageFormat.WebP => ContainerChunks.WebP(data).Where(c => c.FourCc == "ICCP").Select(c => data.AsSpan(c.Offset, c.Length).ToArray()).FirstOrDefault(),
                ImageFormat.Tiff => TiffDirectory.ReadBytes(data, TiffDirectory.IccProfile),
                _ => null,
            };
        }
        catch (Exception e) when (e is InvalidImageException or InvalidDataException)
        {
            return null;
        }
    }

    private static ReadOnlySpan<byte> ExifBlock(byte[] data)
    {
        switch (ImageFormats.Detect(data))
        {
            case ImageFormat.Jpeg:
                foreach (var (marker, offset, length) in ContainerChunks.Jpeg(data))
                {
                    if (marker == 0xE1 && length > 6 && data.AsSpan(offset, 6).SequenceEqual("Exif\0\0"u8))
                    {
                        return data.AsSpan(offset + 6, length - 6);
                    }
                }
                return default;
            case ImageFormat.Png:
                foreach (var (type, offset, length) in ContainerChunks.Png(data))
                {
                    if (type == "eXIf")
                    {
                        return data.AsSpan(offset, length);
                    }
                }
                return default;
            case ImageFormat.WebP:
                foreach (var (fourcc, offset, length) in ContainerChunks.WebP(data))
                {
                    if (fourcc == "EXIF")
                    {
                        var block = data.AsSpan(offset, length);
                        return block.StartsWith("Exif\0\0"u8) ? block[6..] : block;
                    }
                }
                return default;
            case ImageFormat.Tiff:
                return data;
            default:
                return default;
        }
    }

    private static (int, int) JpegSize(byte[] d)
    {
        foreach (var (marker, offset, _) in ContainerChunks.Jpeg(d))
        {
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                return (Bytes.U16(d, offset + 3, false), Bytes.U16(d, offset + 1, false));
            }
        }
        throw new InvalidImageException("The JPEG file has no frame header; it is truncated or corrupt.", InvalidImageReason.Corrupt);
    }

    private static (int, int) WebPSize(byte[] d)
    {
        foreach (var (fourcc, o, _) in ContainerChunks.WebP(d))
        {
            switch (fourcc)
            {
                case "VP8X":
                    return (1 + (d[o + 4] | d[o + 5] << 8 | d[o + 6] << 16), 1 + (d[o + 7] | d[o + 8] << 8 | d[o + 9] << 16));
                case "VP8 ":
                    return (Bytes.U16(d, o + 6, true) & 0x3FFF, Bytes.U16(d, o + 8, true) & 0x3FFF);
                case "VP8L":
                    uint bits = Bytes.U32(d, o + 1, true);
                    return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
            }
        }
        throw new InvalidImageException("The WebP file has no image chunk; it is truncated or corrupt.", InvalidImageReason.Corrupt);
    }

    private static (int, int) TiffSize(byte[] d)
    {
        var w = TiffDirectory.ReadInt(d, TiffDirectory.ImageWidth);
        var h = TiffDirectory.ReadInt(d, TiffDirectory.ImageLength);
        return ((int)(w ?? 0), (int)(h ?? 0));
    }

    private static byte[]? PngIcc(byte[] d)
    {
        foreach (var (type, offset, length) in ContainerChunks.Png(d))
        {
            if (type == "iCCP")
            {
                var chunk = d.AsSpan(offset, length);
                int nul = chunk.IndexOf((byte)0);
                // name, NUL, compression method (0 = zlib), compressed profile
                using var z = new System.IO.Compression.ZLibStream(new MemoryStream(d, offset + nul + 2, length - nul - 2), System.IO.Compression.CompressionMode.Decompress);
                using var ms = new MemoryStream();
                z.CopyTo(ms);
                return ms.ToArray();
            }
            if (type == "IDAT")
            {
                break;
            }
        }
        return null;
    }

    private static byte[]? JpegIcc(byte[] d)
    {
        // The profile may be split over several APP2 segments, each "ICC_PROFILE\0" + sequence number + count.
        var parts = new SortedDictionary<int, byte[]>();
        foreach (var (marker, offset, length) in ContainerChunks.Jpeg(d))
        {
            if (marker == 0xE2 && length > 14 && d.AsSpan(offset, 12).SequenceEqual("ICC_PROFILE\0"u8))
            {
                parts[d[offset + 12]] = d.AsSpan(offset + 14, length - 14).ToArray();
            }
        }
        return parts.Count == 0 ? null : parts.Values.SelectMany(p => p).ToArray();
    }
}
