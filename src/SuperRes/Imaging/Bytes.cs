using System.Buffers.Binary;

namespace SuperRes.Imaging;

/// <summary>Bounds-checked integer reads for header parsing: a short read means a truncated file, not a crash.</summary>
internal static class Bytes
{
    public static int U16(ReadOnlySpan<byte> d, int at, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(Slice(d, at, 2)) : BinaryPrimitives.ReadUInt16BigEndian(Slice(d, at, 2));

    public static uint U32(ReadOnlySpan<byte> d, int at, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(Slice(d, at, 4)) : BinaryPrimitives.ReadUInt32BigEndian(Slice(d, at, 4));

    public static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> d, int at, int length)
    {
        if (at < 0 || length < 0 || (long)at + length > d.Length)
        {
            throw new InvalidImageException("The image file is truncated.", InvalidImageReason.Corrupt);
        }
        return d.Slice(at, length);
    }
}
