namespace SuperRes.Imaging;

/// <summary>
/// Reads integer and byte tags from the first image file directory of a TIFF structure: a TIFF file,
/// or the EXIF block inside JPEG, PNG and WebP files.
/// </summary>
internal static class TiffDirectory
{
    public const int ImageWidth = 256;
    public const int ImageLength = 257;
    public const int BitsPerSample = 258;
    public const int Orientation = 274;
    public const int SamplesPerPixel = 277;
    public const int TileWidth = 322;
    public const int TileLength = 323;
    public const int IccProfile = 34675;

    /// <summary>Returns the first value of an integer tag, or null if the tag is absent.</summary>
    public static uint? ReadInt(ReadOnlySpan<byte> tiff, int tag)
    {
        var entry = FindEntry(tiff, tag, out bool le);
        if (entry < 0)
        {
            return null;
        }
        int type = Bytes.U16(tiff, entry + 2, le);
        return type switch
        {
            3 => (uint)Bytes.U16(tiff, entry + 8, le), // SHORT
            4 => Bytes.U32(tiff, entry + 8, le),       // LONG
            _ => null,
        };
    }

    /// <summary>Returns the bytes of an UNDEFINED/BYTE tag (such as the ICC profile), or null.</summary>
    public static byte[]? ReadBytes(ReadOnlySpan<byte> tiff, int tag, int maxBytes = int.MaxValue)
    {
        var entry = FindEntry(tiff, tag, out bool le);
        if (entry < 0)
        {
            return null;
        }
        uint count = Bytes.U32(tiff, entry + 4, le);
        if (count > maxBytes)
        {
            throw new InvalidDataException($"Tag {tag} holds {count} bytes; the limit is {maxBytes}.");
        }
        int at = count <= 4 ? entry + 8 : (int)Bytes.U32(tiff, entry + 8, le);
        return Bytes.Slice(tiff, at, (int)count).ToArray();
    }

    private static int FindEntry(ReadOnlySpan<byte> tiff, int tag, out bool littleEndian)
    {
        littleEndian = tiff.Length >= 2 && tiff[0] == 'I';
        if (tiff.Length < 8)
        {
            return -1;
        }
        int ifd = (int)Bytes.U32(tiff, 4, littleEndian);
        int count = Bytes.U16(tiff, ifd, littleEndian);
        for (int i = 0; i < count; i++)
        {
            int entry = ifd + 2 + 12 * i;
            if (Bytes.U16(tiff, entry, littleEndian) == tag)
            {
                return entry;
            }
        }
        return -1;
    }
}
