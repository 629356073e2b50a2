using SuperRes.Imaging;

namespace SuperRes.Restoration;

/// <summary>
/// How hard a JPEG was compressed, read from its quantisation tables (DQT) without decoding a pixel: the IJG
/// quality (libjpeg's 1-100 scale, which nearly every encoder and camera setting maps to) whose tables are
/// nearest to the file's.
/// </summary>
/// <param name="Quality">IJG quality 1-100; for tables libjpeg did not make, the quality of the same overall scale.</param>
/// <param name="IsStandard">The tables are libjpeg's standard ones at exactly this quality (what most software writes).</param>
public sealed record JpegQuality(int Quality, bool IsStandard)
{
    // ITU T.81 Annex K, in natural (row-major) order: libjpeg scales these by quality.
    private static readonly int[] StandardLuminance =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    private static readonly int[] StandardChrominance =
    [
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    ];

    // DQT stores coefficients in zig-zag order; ZigZag[k] is the natural index of the k-th stored value.
    private static readonly int[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    /// <summary>The estimate for a JPEG file's bytes; null for another format or a JPEG without tables before its first scan.</summary>
    public static JpegQuality? Read(byte[] data)
    {
        if (ImageFormats.Detect(data) != ImageFormat.Jpeg)
        {
            return null;
        }
        var tables = ReadTables(data);
        return tables.TryGetValue(0, out var luminance) ? Estimate(luminance, tables.GetValueOrDefault(1)) : null;
    }

    /// <summary>The quality whose libjpeg tables are nearest the given ones (natural order; chrominance optional).</summary>
    public static JpegQuality Estimate(int[] luminance, int[]? chrominance = null)
    {
        int best = 1;
        long bestError = long.MaxValue;
        for (int q = 1; q <= 100; q++)
        {
            long error = Distance(luminance, Scaled(StandardLuminance, q));
            if (chrominance is not null)
            {
                error += Distance(chrominance, Scaled(StandardChrominance, q));
            }
            if (error < bestError)
            {
                (best, bestError) = (q, error);
            }
        }
        if (bestError == 0)
        {
            return new JpegQuality(best, IsStandard: true);
        }
        // Not libjpeg's tables (a camera's, Photoshop's): the quality whose scale factor matches the tables' overall
        // size, measured on the low frequencies that carry most of a photo (the top-left 4x4 of the luminance table).
        double ratio = 0, weight = 0;
        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                int i = y * 8 + x;
                ratio += luminance[i] / (double)StandardLuminance[i];
                weight++;
            }
        }
        double scale = 100 * ratio / weight; // libjpeg's percentage: 100 at quality 50
        int quality = scale <= 100 ? (int)Math.Round((200 - scale) / 2) : (int)Math.Round(5000 / scale);
        return new JpegQuality(Math.Clamp(quality, 1, 100), IsStandard: false);
    }

    /// <summary>libjpeg's table for a quality (jcparam.c: jpeg_quality_scaling, then clamped to 1..255 for baseline).</summary>
    internal static int[] Scaled(int[] standard, int quality)
    {
        int scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
        return standard.Select(v => Math.Clamp((v * scale + 50) / 100, 1, 255)).ToArray();
    }

    internal static int[] StandardTable(int id) => id == 0 ? StandardLuminance : StandardChrominance;

    private static long Distance(int[] a, int[] b)
    {
        long sum = 0;
        for (int i = 0; i < 64; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }
        return sum;
    }

    /// <summary>The quantisation tables by id (0 luminance, 1 chrominance as libjpeg numbers them), in natural order.</summary>
    internal static Dictionary<int, int[]> ReadTables(byte[] data)
    {
        var tables = new Dictionary<int, int[]>();
        foreach (var (marker, offset, length) in ContainerChunks.Jpeg(data))
        {
            if (marker != 0xDB)
            {
                continue;
            }
            int pos = offset, end = offset + length;
            while (pos < end)
            {
                int precision = data[pos] >> 4, id = data[pos] & 0x0F;
                int bytes = precision == 0 ? 1 : 2;
                if (id > 3 || precision > 1 || pos + 1 + 64 * bytes > end)
                {
                    break; // a damaged segment: keep what was read before it
                }
                var table = new int[64];
                for (int k = 0; k < 64; k++)
                {
                    int at = pos + 1 + k * bytes;
                    table[ZigZag[k]] = bytes == 1 ? data[at] : data[at] << 8 | data[at + 1];
                }
                tables[id] = table;
                pos += 1 + 64 * bytes;
            }
        }
        return tables;
    }
}
