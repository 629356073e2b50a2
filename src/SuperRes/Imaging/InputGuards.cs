using System.IO.Compression;

namespace SuperRes.Imaging;

/// <summary>
/// What libvips does not bound on its own, checked on the file's bytes before it decodes anything. These read
/// container structure only (never pixels), so they cannot disagree with the decoder about the picture:
/// <list type="bullet">
/// <item>PNG: the metadata once inflated. libpng keeps up to a thousand text chunks of 8 MB each, so a small file
/// can make it allocate gigabytes; the compressed text chunks (zTXt, iTXt) are inflated here with a running total
/// and a cap, discarding what they hold. A colour profile (iCCP) over its own cap, or one that does not inflate, is
/// not refused: it is reported, and left out of the result with a warning (libpng inflates at most 8 MB of it).</item>
/// <item>JPEG: the number of scans. A progressive JPEG's scans are all decoded before its first row comes out, in one
/// native call nothing can interrupt; thousands of tiny scans make that call last minutes.</item>
/// <item>TIFF: the tile size. libtiff sizes its read buffer from the declared tile, which may dwarf the image.</item>
/// </list>
/// </summary>
public static class InputGuards
{
    /// <summary>Real encoders write at most a few dozen scans (libjpeg's progressive default: 10; mozjpeg: about 20).</summary>
    public const int MaxJpegScans = 100;

    /// <returns>True when the file's colour profile cannot be used (over <see cref="ImageLimits.MaxIccProfileBytes"/>,
    /// or damaged): the decoder then leaves it out, and the result says so.</returns>
    public static bool Check(byte[] data, ImageFormat format, ImageLimits limits)
    {
        switch (format)
        {
            case ImageFormat.Png:
                return CheckPngMetadata(data, limits);
            case ImageFormat.Jpeg:
                CheckJpegScans(data);
                break;
            case ImageFormat.Tiff:
                CheckTiffTiles(data);
                break;
        }
        return false;
    }

    private static bool CheckPngMetadata(byte[] data, ImageLimits limits)
    {
        long total = 0, cap = limits.MaxMetadataBytes;
        bool unusableProfile = false;
        foreach (var (type, offset, length) in ContainerChunks.Png(data))
        {
            if (type == "iCCP")
            {
                long profile = Inflated(data, AfterKeyword(data, offset, length, 1), offset + length, limits.MaxIccProfileBytes);
                unusableProfile |= profile is 0 or < 0 || profile > limits.MaxIccProfileBytes;
                continue;
            }
            long size = type switch
            {
                "zTXt" => Inflated(data, AfterKeyword(data, offset, length, 1), offset + length, cap - total),
                "iTXt" when IsCompressedText(data, offset, length) => Inflated(data, ITxtText(data, offset, length), offset + length, cap - total),
                "tEXt" or "iTXt" or "eXIf" => length,
                _ => 0,
            };
            total += size;
            if (total > cap)
            {
                throw new InvalidImageException(
                    $"The PNG's metadata (text, EXIF and colour profile chunks) comes to more than {cap / (1024 * 1024)} MiB once inflated; the limit is {cap / (1024 * 1024)} MiB.",
                    InvalidImageReason.TooLarge);
            }
        }
        return unusableProfile;
    }

    /// <summary>Where the compressed bytes start: after "keyword\0" and <paramref name="extra"/> method bytes.</summary>
    private static int AfterKeyword(byte[] d, int offset, int length, int extra)
    {
        int nul = Array.IndexOf(d, (byte)0, offset, Math.Min(length, 80));
        return nul < 0 ? offset + length : Math.Min(offset + length, nul + 1 + extra);
    }

    private static bool IsCompressedText(byte[] d, int offset, int length)
    {
        int nul = Array.IndexOf(d, (byte)0, offset, Math.Min(length, 80));
        return nul >= 0 && nul + 1 < offset + length && d[nul + 1] == 1;
    }

    /// <summary>iTXt: keyword\0, compression flag, method, language\0, translated keyword\0, then the text.</summary>
    private static int ITxtText(byte[] d, int offset, int length)
    {
        int end = offset + length;
        int pos = AfterKeyword(d, offset, length, 2);
        for (int field = 0; field < 2 && pos < end; field++)
        {
            int nul = Array.IndexOf(d, (byte)0, pos, end - pos);
            pos = nul < 0 ? end : nul + 1;
        }
        return pos;
    }

    /// <summary>Bytes the zlib stream at [start, end) inflates to, counting no further than <paramref name="budget"/> + 1;
    /// -1 when it is not zlib data (libpng will say so, at no more cost than its bytes).</summary>
    private static long Inflated(byte[] d, int start, int end, long budget)
    {
        if (start >= end)
        {
            return -1;
        }
        try
        {
            using var z = new ZLibStream(new MemoryStream(d, start, end - start, writable: false), CompressionMode.Decompress);
            var buffer = new byte[65536];
            long total = 0;
            int read;
            while (total <= budget && (read = z.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
            }
            return total;
        }
        catch (InvalidDataException)
        {
            return -1;
        }
    }

    private static void CheckJpegScans(byte[] data)
    {
        // Entropy-coded data never holds FF DA (an FF there is stuffed as FF 00 or is a restart marker), so every
        // FF DA in the file starts a scan.
        int scans = 0;
        var span = data.AsSpan();
        for (int at = span.IndexOf((ReadOnlySpan<byte>)[0xFF, 0xDA]); at >= 0; at = Next(span, at))
        {
            if (++scans > MaxJpegScans)
            {
                throw new InvalidImageException(
                    $"The JPEG has more than {MaxJpegScans} scans; real photos have a few dozen at most, and each costs a pass over the whole picture.",
                    InvalidImageReason.TooLarge);
            }
        }

        static int Next(Span<byte> s, int at)
        {
            int rest = s[(at + 2)..].IndexOf((ReadOnlySpan<byte>)[0xFF, 0xDA]);
            return rest < 0 ? -1 : at + 2 + rest;
        }
    }

    private static void CheckTiffTiles(byte[] d)
    {
        try
        {
            long w = TiffDirectory.ReadInt(d, TiffDirectory.ImageWidth) ?? 0, h = TiffDirectory.ReadInt(d, TiffDirectory.ImageLength) ?? 0;
            long tw = TiffDirectory.ReadInt(d, TiffDirectory.TileWidth) ?? 0, th = TiffDirectory.ReadInt(d, TiffDirectory.TileLength) ?? 0;
            // A tile never needs to exceed the image rounded up to TIFF's 16-pixel tile grid.
            if (tw > RoundUp16(w) || th > RoundUp16(h))
            {
                throw new InvalidImageException($"The TIFF declares {tw}x{th} tiles for a {w}x{h} image; the header and the data disagree.", InvalidImageReason.Corrupt);
            }
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidImageException("The TIFF header is malformed.", InvalidImageReason.Corrupt, e);
        }
    }

    private static long RoundUp16(long v) => (v + 15) / 16 * 16;
}
