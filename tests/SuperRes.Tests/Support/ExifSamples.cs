using System.Buffers.Binary;

namespace SuperRes.Tests.Support;

/// <summary>Builds files that carry an EXIF orientation, the way cameras write them.</summary>
public static class ExifSamples
{
    /// <summary>A little-endian TIFF block with IFD0 holding only the Orientation tag.</summary>
    public static byte[] TiffBlock(int orientation)
    {
        var b = new byte[8 + 2 + 12 + 4];
        "II*\0"u8.CopyTo(b);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(10), 0x0112);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), 3);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(14), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), (ushort)orientation);
        return b;
    }

    /// <summary>Inserts an APP1 Exif segment right after the JPEG's SOI marker.</summary>
    public static byte[] JpegWithOrientation(byte[] jpeg, int orientation)
    {
        var tiff = TiffBlock(orientation);
        var segment = new byte[4 + 6 + tiff.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + 6 + tiff.Length));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment, 10);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }
}
