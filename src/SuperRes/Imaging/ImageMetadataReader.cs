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
        ImageHeader header;
        try
        {
            header = format switch
            {
                ImageFormat.Png => PngHeader(data),
                ImageFormat.Jpeg => JpegHeader(data),
                ImageFormat.WebP => WebPHeader(data),
                ImageFormat.Tiff => TiffHeader(data),
                _ => BmpHeader(data),
            };
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // Every field read is bounds-checked; this is the net under the arithmetic on what was read.
            throw new InvalidImageException($"The {format} header is malformed.", InvalidImageReason.Corrupt, e);
        }
        if (header.Width <= 0 || header.Height <= 0)
        {
            throw new InvalidImageException($"The {format} header gives an invalid size {header.Width}x{header.Height}.", InvalidImageReason.Corrupt);
        }
        return header;
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

    /// <summary>The embedded ICC profile, or null; a profile over <paramref name="maxBytes"/> is not read.</summary>
    public static byte[]? ReadIccProfile(byte[] data, int maxBytes = ImageLimits.DefaultMaxIccProfileBytes) => ReadIcc(data, maxBytes).Profile;

    /// <summary>
    /// The embedded ICC profile, read with a cap: a compressed PNG profile is inflated only up to
    /// <paramref name="maxBytes"/> (a 600 kB chunk can inflate to gigabytes). <c>Dropped</c> says a profile was
    /// there but over the cap, or unreadable.
    /// </summary>
    public static (byte[]? Profile, bool Dropped) ReadIcc(byte[] data, int maxBytes)
    {
        try
        {
            var profile = ImageFormats.Detect(data) switch
            {
                ImageFormat.Png => PngIcc(data, maxBytes),
                ImageFormat.Jpeg => JpegIcc(data, maxBytes),
                ImageFormat.WebP => ContainerChunks.WebP(data).Where(c => c.FourCc == "ICCP").Select(c => Capped(data, c.Offset, c.Length, maxBytes)).FirstOrDefault(),
                ImageFormat.Tiff => TiffDirectory.ReadBytes(data, TiffDirectory.IccProfile, maxBytes),
                _ => null,
            };
            return (profile, false);
        }
        catch (Exception e) when (e is InvalidImageException or InvalidDataException or ArgumentException)
        {
            return (null, true);
        }
    }

    private static byte[] Capped(byte[] d, int offset, int length, int maxBytes) =>
        length > maxBytes ? throw Oversize(length, maxBytes) : d.AsSpan(offset, length).ToArray();

    private static InvalidDataException Oversize(long length, int maxBytes) =>
        new($"The ICC profile is {length} bytes or more; the limit is {maxBytes}.");

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

    private static ImageHeader PngHeader(byte[] d)
    {
        // IHDR: width, height, bit depth, colour type. OpenCV gives palette images as BGR(A), grey+alpha as BGRA.
        int bitDepth = Bytes.Slice(d, 24, 1)[0], colourType = Bytes.Slice(d, 25, 1)[0];
        int channels = colourType switch { 0 => 1, 2 => 3, _ => 4 };
        return new ImageHeader(ImageFormat.Png, (int)Bytes.U32(d, 16, false), (int)Bytes.U32(d, 20, false), channels * (bitDepth == 16 ? 2 : 1));
    }

    /// <summary>
    /// Refuses a file whose container would make the decoder allocate more than its header admits. OpenCV's PNG
    /// reader allocates each chunk at its declared length before reading it, so one damaged length field costs
    /// gigabytes: every chunk must fit in the file, and the file must end with IEND.
    /// </summary>
    public static void CheckContainer(byte[] data, ImageFormat format)
    {
        if (format == ImageFormat.Png)
        {
            CheckPngChunks(data);
        }
    }

    private static void CheckPngChunks(byte[] d)
    {
        long pos = 8;
        while (pos + 8 <= d.Length)
        {
            uint length = Bytes.U32(d, (int)pos, false);
            if (length > int.MaxValue || pos + 12 + length > d.Length)
            {
                throw new InvalidImageException(
                    $"A PNG chunk at byte {pos} declares {length} bytes, more than the {d.Length - pos - 12} left in the file; it is corrupt or truncated.",
                    InvalidImageReason.Corrupt);
            }
            if (d.AsSpan((int)pos + 4, 4).SequenceEqual("IEND"u8))
            {
                return;
            }
            pos += 12 + length;
        }
        throw new InvalidImageException("The PNG file has no IEND chunk; it is corrupt or truncated.", InvalidImageReason.Corrupt);
    }

    private static ImageHeader JpegHeader(byte[] d)
    {
        foreach (var (marker, offset, _) in ContainerChunks.Jpeg(d))
        {
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                return new ImageHeader(ImageFormat.Jpeg, Bytes.U16(d, offset + 3, false), Bytes.U16(d, offset + 1, false), 3);
            }
        }
        throw new InvalidImageException("The JPEG file has no frame header; it is truncated or corrupt.", InvalidImageReason.Corrupt);
    }

    private static ImageHeader WebPHeader(byte[] d)
    {
        // The image chunk must come first: libwebp reads the first chunk as the bitstream, so a reader that
        // skipped unknown chunks could check one size while the decoder allocates another.
        foreach (var (fourcc, o, length) in ContainerChunks.WebP(d))
        {
            (int W, int H) size = fourcc switch
            {
                "VP8X" when length >= 10 => (1 + (d[o + 4] | d[o + 5] << 8 | d[o + 6] << 16), 1 + (d[o + 7] | d[o + 8] << 8 | d[o + 9] << 16)),
                "VP8 " when length >= 10 => (Bytes.U16(d, o + 6, true) & 0x3FFF, Bytes.U16(d, o + 8, true) & 0x3FFF),
                "VP8L" when length >= 5 => ((int)(Bytes.U32(d, o + 1, true) & 0x3FFF) + 1, (int)((Bytes.U32(d, o + 1, true) >> 14) & 0x3FFF) + 1),
                _ => throw new InvalidImageException($"The WebP file starts with a \"{fourcc.Trim()}\" chunk of {length} bytes, not an image header.", InvalidImageReason.Corrupt),
            };
            return new ImageHeader(ImageFormat.WebP, size.W, size.H, 4);
        }
        throw new InvalidImageException("The WebP file has no image chunk; it is truncated or corrupt.", InvalidImageReason.Corrupt);
    }

    private static ImageHeader TiffHeader(byte[] d)
    {
        long w = TiffDirectory.ReadInt(d, TiffDirectory.ImageWidth) ?? 0, h = TiffDirectory.ReadInt(d, TiffDirectory.ImageLength) ?? 0;
        if (w > int.MaxValue || h > int.MaxValue)
        {
            throw new InvalidImageException($"The TIFF header gives an invalid size {w}x{h}.", InvalidImageReason.Corrupt);
        }
        // OpenCV sizes its read buffer from the tile, not the image: a 1x1 image may declare 65536² tiles.
        // A tile never needs to exceed the image rounded up to TIFF's 16-pixel tile grid.
        long tw = TiffDirectory.ReadInt(d, TiffDirectory.TileWidth) ?? 0, th = TiffDirectory.ReadInt(d, TiffDirectory.TileLength) ?? 0;
        if (tw > RoundUp16(w) || th > RoundUp16(h))
        {
            throw new InvalidImageException($"The TIFF declares {tw}x{th} tiles for a {w}x{h} image; the header and the data disagree.", InvalidImageReason.Corrupt);
        }
        long samples = Math.Clamp(TiffDirectory.ReadInt(d, TiffDirectory.SamplesPerPixel) ?? 1, 1, 4);
        long bits = TiffDirectory.ReadInt(d, TiffDirectory.BitsPerSample) ?? 8;
        int bytesPerSample = bits > 16 ? 4 : bits > 8 ? 2 : 1;
        // Grey and palette TIFFs come out of OpenCV as BGR: at least three channels.
        return new ImageHeader(ImageFormat.Tiff, (int)w, (int)h, (int)Math.Max(samples, 3) * bytesPerSample);
    }

    private static long RoundUp16(long v) => (v + 15) / 16 * 16;

    private static ImageHeader BmpHeader(byte[] d)
    {
        // A negative height means rows stored top-down; its magnitude is the height (widened: -2^31 has none in int).
        long height = Math.Abs((long)(int)Bytes.U32(d, 22, true));
        int bitsPerPixel = d.Length >= 30 ? Bytes.U16(d, 28, true) : 24;
        return new ImageHeader(ImageFormat.Bmp, (int)Bytes.U32(d, 18, true), height > int.MaxValue ? -1 : (int)height, bitsPerPixel == 32 ? 4 : 3);
    }

    private static byte[]? PngIcc(byte[] d, int maxBytes)
    {
        foreach (var (type, offset, length) in ContainerChunks.Png(d))
        {
            if (type == "iCCP")
            {
                // name (1-79 bytes), NUL, compression method (0 = zlib), compressed profile
                int nul = d.AsSpan(offset, length).IndexOf((byte)0);
                if (nul < 1 || nul + 2 > length)
                {
                    throw new InvalidDataException("The iCCP chunk has no profile after its name.");
                }
                using var z = new System.IO.Compression.ZLibStream(new MemoryStream(d, offset + nul + 2, length - nul - 2), System.IO.Compression.CompressionMode.Decompress);
                return ReadCapped(z, maxBytes);
            }
            if (type == "IDAT")
            {
                break;
            }
        }
        return null;
    }

    /// <summary>Inflates at most <paramref name="maxBytes"/>: one byte more means the profile is over the cap.</summary>
    private static byte[] ReadCapped(Stream source, int maxBytes)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, maxBytes + 1L - ms.Length))) > 0)
        {
            ms.Write(buffer, 0, read);
            if (ms.Length > maxBytes)
            {
                throw Oversize(ms.Length, maxBytes);
            }
        }
        return ms.ToArray();
    }

    private static byte[]? JpegIcc(byte[] d, int maxBytes)
    {
        // The profile may be split over several APP2 segments, each "ICC_PROFILE\0" + sequence number + count.
        var parts = new SortedDictionary<int, byte[]>();
        long total = 0;
        foreach (var (marker, offset, length) in ContainerChunks.Jpeg(d))
        {
            if (marker == 0xE2 && length > 14 && d.AsSpan(offset, 12).SequenceEqual("ICC_PROFILE\0"u8))
            {
                if ((total += length - 14) > maxBytes)
                {
                    throw Oversize(total, maxBytes);
                }
                parts[d[offset + 12]] = d.AsSpan(offset + 14, length - 14).ToArray();
            }
        }
        return parts.Count == 0 ? null : parts.Values.SelectMany(p => p).ToArray();
    }
}
