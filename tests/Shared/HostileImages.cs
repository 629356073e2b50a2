using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using OpenCvSharp;

namespace SuperRes.Testing;

/// <summary>
/// Files made to hurt a decoder: real encodings of a small picture, chunks that inflate to far more than
/// they weigh, headers whose sizes lie, and seeded random damage. Built in memory, the same for every seed.
/// </summary>
public static class HostileImages
{
    /// <summary>A small real picture (a gradient with an edge) in every format SuperRes reads.</summary>
    public static IReadOnlyDictionary<string, byte[]> Seeds(int width = 40, int height = 30)
    {
        using var image = new Mat(height, width, MatType.CV_8UC3);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image.Set(y, x, new Vec3b((byte)(x * 6), (byte)(y * 8), (byte)(x > width / 2 ? 220 : 30)));
            }
        }
        return new[] { ".png", ".jpg", ".webp", ".tiff", ".bmp" }.ToDictionary(ext => ext, ext =>
        {
            var bytes = TestImage.Encode(image, ext);
            return bytes;
        });
    }

    /// <summary>A PNG with a chunk inserted before IDAT, its CRC correct.</summary>
    public static byte[] PngWithChunk(byte[] png, string type, byte[] data)
    {
        int idat = FindPngChunk(png, "IDAT");
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.HashToUInt32(chunk.AsSpan(4, 4 + data.Length)));
        return [.. png[..idat], .. chunk, .. png[idat..]];
    }

    /// <summary>The PNG with its IHDR claiming another size, the chunk's CRC made to match: a header that lies well.</summary>
    public static byte[] PngClaiming(byte[] png, uint width, uint height)
    {
        var lying = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan(29), Crc32.HashToUInt32(lying.AsSpan(12, 17)));
        return lying;
    }

    /// <summary>An 8x8 PNG whose iCCP chunk inflates to <paramref name="inflatedBytes"/> (a few hundred kB on disk).</summary>
    public static byte[] IccBombPng(long inflatedBytes)
    {
        using var tiny = new Mat(8, 8, MatType.CV_8UC3, Scalar.All(128));
        var png = TestImage.Encode(tiny, ".png");
        return PngWithChunk(png, "iCCP", [.. "bomb"u8, 0, 0, .. Zeros(inflatedBytes)]);
    }

    /// <summary>zlib-compressed zeros: a few bytes per megabyte.</summary>
    public static byte[] Zeros(long count)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            var block = new byte[1 << 20];
            for (long left = count; left > 0; left -= block.Length)
            {
                z.Write(block, 0, (int)Math.Min(block.Length, left));
            }
        }
        return output.ToArray();
    }

    /// <summary>
    /// A little-endian TIFF of <paramref name="width"/>x<paramref name="height"/> grey pixels stored as one tile of
    /// <paramref name="tileWidth"/>x<paramref name="tileHeight"/> (the tile data itself is a few bytes).
    /// </summary>
    public static byte[] TiledTiff(int width, int height, int tileWidth, int tileHeight)
    {
        var entries = new (ushort Tag, ushort Type, uint Value)[]
        {
            (256, 4, (uint)width), (257, 4, (uint)height), (258, 3, 8), (259, 3, 1), (262, 3, 1), (277, 3, 1),
            (322, 4, (uint)tileWidth), (323, 4, (uint)tileHeight), (324, 4, 0 /* offset, set below */), (325, 4, 16),
        };
        int ifd = 8, dataOffset = ifd + 2 + entries.Length * 12 + 4;
        var tiff = new byte[dataOffset + 16];
        "II*\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), (uint)ifd);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(ifd), (ushort)entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            var (tag, type, value) = entries[i];
            int at = ifd + 2 + 12 * i;
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at + 2), type);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 4), 1);
            uint v = tag == 324 ? (uint)dataOffset : value;
            if (type == 3)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at + 8), (ushort)v);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 8), v);
            }
        }
        return tiff;
    }

    /// <summary>A WebP with an unknown chunk placed before its image chunk.</summary>
    public static byte[] WebPWithLeadingChunk(byte[] webp, string fourcc, byte[] data)
    {
        var chunk = new byte[8 + data.Length + (data.Length & 1)];
        System.Text.Encoding.ASCII.GetBytes(fourcc).CopyTo(chunk, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)data.Length);
        data.CopyTo(chunk, 8);
        byte[] result = [.. webp[..12], .. chunk, .. webp[12..]];
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }

    /// <summary>
    /// <paramref name="count"/> damaged files from the seeds, each from a fixed seed: bit flips, truncation, sizes
    /// that lie in the header of each format, metadata bombs (iCCP, zTXt, eXIf, JPEG APP2), lying TIFF tiles
    /// and strips, WebP chunk lies, and IDAT bombs.
    /// </summary>
    public static IEnumerable<(string Name, byte[] Data)> Mutations(int count, int seed)
    {
        var seeds = Seeds().ToArray();
        var random = new Random(seed);
        var bomb = Zeros(64L << 20); // shared: 64 MB of zeros in about 64 kB
        for (int i = 0; i < count; i++)
        {
            var (ext, original) = seeds[random.Next(seeds.Length)];
            var data = (byte[])original.Clone();
            int kind = random.Next(9);
            string name;
            switch (kind)
            {
                case 0 or 1:
                    int flips = random.Next(1, 9);
                    for (int f = 0; f < flips; f++)
                    {
                        data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                    }
                    name = $"bitflip{flips}";
                    break;
                case 2:
                    data = data[..random.Next(1, data.Length)];
                    name = "truncated";
                    break;
                case 3:
                    data = LieAboutSize(ext, data, random);
                    name = "size-lie";
                    break;
                case 4 when ext == ".png":
                    string type = new[] { "iCCP", "zTXt", "eXIf", "IDAT" }[random.Next(4)];
                    byte[] payload = type switch
                    {
                        "iCCP" => [.. "icc"u8, 0, 0, .. bomb],
                        "zTXt" => [.. "Comment"u8, 0, 0, .. bomb],
                        "eXIf" => [.. "MM\0*"u8, .. new byte[] { 0, 0, 0, 8, 0xFF, 0xFF }, .. bomb[..Math.Min(bomb.Length, 4096)]],
                        _ => bomb,
                    };
                    data = PngWithChunk(data, type, payload);
                    name = $"{type}-bomb";
                    break;
                case 4 when ext == ".jpg":
                    data = JpegWithApp2Icc(data, random.Next(1, 64));
                    name = "app2-icc";
                    break;
                case 4 when ext == ".tiff":
                    int side = 1 + random.Next(4);
                    data = TiledTiff(side, side, 16 << random.Next(13), 16 << random.Next(13));
                    name = "tiff-tiles";
                    break;
                case 4 when ext == ".webp":
                    data = WebPWithLeadingChunk(data, new[] { "JUNK", "VP8X", "ICCP", "EXIF" }[random.Next(4)], bomb[..random.Next(0, 64)]);
                    name = "webp-chunk";
                    break;
                default:
                    // Overwrite a run of header bytes with random values.
                    int at = random.Next(Math.Min(64, data.Length)), run = random.Next(1, 8);
                    for (int b = at; b < Math.Min(data.Length, at + run); b++)
                    {
                        data[b] = (byte)random.Next(256);
                    }
                    name = "header-noise";
                    break;
            }
            yield return ($"{i:00000}-{name}{ext}", data);
        }
    }

    private static byte[] LieAboutSize(string ext, byte[] data, Random random)
    {
        uint big = (uint)random.Next(1, int.MaxValue);
        switch (ext)
        {
            case ".png":
                BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(16 + 4 * random.Next(2)), big);
                break;
            case ".bmp":
                BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(18 + 4 * random.Next(2)), random.Next(2) == 0 ? big : 0x80000000);
                break;
            case ".tiff":
                int entries = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4))));
                int ifd = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4));
                for (int e = 0; e < entries; e++)
                {
                    int at = ifd + 2 + 12 * e;
                    ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at));
                    if (tag is 256 or 257 or 278 && random.Next(2) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at + 2), 4);
                        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 8), big);
                    }
                }
                break;
            case ".jpg":
                int sof = data.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
                if (sof > 0 && sof + 9 < data.Length)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(sof + 5 + 2 * random.Next(2)), (ushort)random.Next(1, 65536));
                }
                break;
            case ".webp":
                // VP8 / VP8L / VP8X size fields sit a few bytes into the first chunk's payload.
                data[20 + 6 + random.Next(4)] = (byte)random.Next(256);
                data[20 + 1 + random.Next(4)] ^= 0xFF;
                break;
        }
        return data;
    }

    private static byte[] JpegWithApp2Icc(byte[] jpeg, int segments)
    {
        var parts = new List<byte>();
        for (int s = 1; s <= segments; s++)
        {
            var payload = new byte[65000];
            parts.AddRange([0xFF, 0xE2, (byte)((payload.Length + 16) >> 8), (byte)((payload.Length + 16) & 0xFF)]);
            parts.AddRange("ICC_PROFILE\0"u8.ToArray());
            parts.AddRange([(byte)s, (byte)segments]);
            parts.AddRange(payload);
        }
        return [.. jpeg[..2], .. parts, .. jpeg[2..]];
    }

    private static int FindPngChunk(byte[] png, string type)
    {
        int pos = 8;
        while (pos + 8 <= png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            if (System.Text.Encoding.ASCII.GetString(png, pos + 4, 4) == type)
            {
                return pos;
            }
            pos += 12 + length;
        }
        throw new ArgumentException($"No {type} chunk.");
    }
}
