using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace SuperRes.Imaging;

/// <summary>
/// Embeds an ICC profile into encoded PNG (iCCP chunk) and JPEG (APP2 segments) files. OpenCV's
/// encoders drop profiles; these two containers carry them in a simple, well-specified way.
/// </summary>
internal static class IccProfileWriter
{
    private const int JpegChunkCapacity = 65519; // 65535 - 2 (length) - 12 ("ICC_PROFILE\0") - 2 (seq, count)

    public static bool CanEmbed(ImageFormat format) => format is ImageFormat.Png or ImageFormat.Jpeg;

    public static byte[] Embed(byte[] encoded, ImageFormat format, byte[] profile) => format switch
    {
        ImageFormat.Png => EmbedPng(encoded, profile),
        ImageFormat.Jpeg => EmbedJpeg(encoded, profile),
        _ => encoded,
    };

    private static byte[] EmbedPng(byte[] png, byte[] profile)
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(profile);
        }
        var name = "ICC Profile\0\0"u8; // profile name, NUL, compression method 0
        var data = new byte[name.Length + compressed.Length];
        name.CopyTo(data);
        compressed.ToArray().CopyTo(data, name.Length);

        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        "iCCP"u8.CopyTo(chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.HashToUInt32(chunk.AsSpan(4, 4 + data.Length)));

        // iCCP must come before PLTE and IDAT: right after IHDR (8 signature + 25 IHDR bytes).
        const int afterIhdr = 8 + 25;
        var result = new byte[png.Length + chunk.Length];
        png.AsSpan(0, afterIhdr).CopyTo(result);
        chunk.CopyTo(result, afterIhdr);
        png.AsSpan(afterIhdr).CopyTo(result.AsSpan(afterIhdr + chunk.Length));
        return result;
    }

    private static byte[] EmbedJpeg(byte[] jpeg, byte[] profile)
    {
        int count = (profile.Length + JpegChunkCapacity - 1) / JpegChunkCapacity;
        using var output = new MemoryStream(jpeg.Length + profile.Length + 18 * count);
        // Keep SOI and a leading JFIF APP0 first, as readers expect, then the APP2 segments.
        int insertAt = 2;
        if (jpeg.Length > 4 && jpeg[2] == 0xFF && jpeg[3] == 0xE0)
        {
            insertAt = 4 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(4));
        }
        output.Write(jpeg, 0, insertAt);
        Span<byte> head = stackalloc byte[18];
        for (int i = 0; i < count; i++)
        {
            int start = i * JpegChunkCapacity, length = Math.Min(JpegChunkCapacity, profile.Length - start);
            head[0] = 0xFF;
            head[1] = 0xE2;
            BinaryPrimitives.WriteUInt16BigEndian(head[2..], (ushort)(2 + 14 + length));
            "ICC_PROFILE\0"u8.CopyTo(head[4..]);
            head[16] = (byte)(i + 1);
            head[17] = (byte)count;
            output.Write(head);
            output.Write(profile, start, length);
        }
        output.Write(jpeg, insertAt, jpeg.Length - insertAt);
        return output.ToArray();
    }
}
