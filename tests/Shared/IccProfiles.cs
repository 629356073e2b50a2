using System.Buffers.Binary;
using System.Text;

namespace SuperRes.Testing;

/// <summary>
/// Real ICC colour profiles made in the test: RGB matrix/TRC display profiles (ICC v2) from primaries, the D65 white
/// and the sRGB transfer curve, adapted to the PCS's D50 with Bradford, as lcms and every colour manager read them.
/// </summary>
public static class IccProfiles
{
    public static byte[] Srgb => Rgb("sRGB (SuperRes test)", (0.640, 0.330), (0.300, 0.600), (0.150, 0.060));

    /// <summary>Apple's Display P3: the DCI-P3 primaries with D65 and the sRGB curve (what iPhones write).</summary>
    public static byte[] DisplayP3 => Rgb("Display P3 (SuperRes test)", (0.680, 0.320), (0.265, 0.690), (0.150, 0.060));

    private static readonly double[] D65 = [0.95047, 1.0, 1.08883];
    private static readonly double[] D50 = [0.96422, 1.0, 0.82521];

    public static byte[] Rgb(string name, (double X, double Y) red, (double X, double Y) green, (double X, double Y) blue)
    {
        var columns = AdaptedColumns([red, green, blue]);
        var curve = SrgbCurve(1024);
        var tags = new List<(string Sig, byte[] Data)>
        {
            ("desc", Description(name)),
            ("cprt", Text("No copyright: made by a test")),
            ("wtpt", Xyz(D50)),
            ("rXYZ", Xyz(columns[0])),
            ("gXYZ", Xyz(columns[1])),
            ("bXYZ", Xyz(columns[2])),
            ("rTRC", curve),
            ("gTRC", curve),
            ("bTRC", curve),
        };
        int tableSize = 4 + 12 * tags.Count;
        var offsets = new List<int>();
        int at = 128 + tableSize;
        foreach (var (_, data) in tags)
        {
            offsets.Add(at);
            at += (data.Length + 3) / 4 * 4;
        }
        var profile = new byte[at];
        var s = profile.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(s, (uint)at);
        BinaryPrimitives.WriteUInt32BigEndian(s[8..], 0x02100000); // version 2.1
        Encoding.ASCII.GetBytes("mntrRGB XYZ ").CopyTo(s[12..]);
        BinaryPrimitives.WriteUInt16BigEndian(s[24..], 2026);
        BinaryPrimitives.WriteUInt16BigEndian(s[26..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(s[28..], 1);
        Encoding.ASCII.GetBytes("acsp").CopyTo(s[36..]);
        // The PCS illuminant exactly as the ICC specification writes D50 (libpng refuses a profile with any other).
        BinaryPrimitives.WriteInt32BigEndian(s[68..], 0xF6D6);
        BinaryPrimitives.WriteInt32BigEndian(s[72..], 0x10000);
        BinaryPrimitives.WriteInt32BigEndian(s[76..], 0xD32D);
        BinaryPrimitives.WriteUInt32BigEndian(s[128..], (uint)tags.Count);
        for (int i = 0; i < tags.Count; i++)
        {
            var entry = s[(132 + 12 * i)..];
            Encoding.ASCII.GetBytes(tags[i].Sig).CopyTo(entry);
            BinaryPrimitives.WriteUInt32BigEndian(entry[4..], (uint)offsets[i]);
            BinaryPrimitives.WriteUInt32BigEndian(entry[8..], (uint)tags[i].Data.Length);
            tags[i].Data.CopyTo(s[offsets[i]..]);
        }
        return profile;
    }

    /// <summary>The primaries' XYZ (D65 white at Y = 1), adapted to D50 with Bradford: the rXYZ, gXYZ and bXYZ tags.</summary>
    private static double[][] AdaptedColumns((double X, double Y)[] primaries)
    {
        var m = new double[3, 3];
        for (int c = 0; c < 3; c++)
        {
            var (x, y) = primaries[c];
            m[0, c] = x / y;
            m[1, c] = 1;
            m[2, c] = (1 - x - y) / y;
        }
        var scale = Multiply(Inverse(m), D65);
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                m[r, c] *= scale[c];
            }
        }
        double[,] bradford = { { 0.8951, 0.2664, -0.1614 }, { -0.7502, 1.7135, 0.0367 }, { 0.0389, -0.0685, 1.0296 } };
        var from = Multiply(bradford, D65);
        var to = Multiply(bradford, D50);
        var gain = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            gain[i, i] = to[i] / from[i];
        }
        var adapt = Multiply(Inverse(bradford), Multiply(gain, bradford));
        var adapted = Multiply(adapt, m);
        return [.. Enumerable.Range(0, 3).Select(c => new[] { adapted[0, c], adapted[1, c], adapted[2, c] })];
    }

    private static byte[] SrgbCurve(int entries)
    {
        var data = new byte[12 + 2 * entries];
        Encoding.ASCII.GetBytes("curv").CopyTo(data, 0);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), (uint)entries);
        for (int i = 0; i < entries; i++)
        {
            double v = (double)i / (entries - 1);
            double linear = v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(12 + 2 * i), (ushort)Math.Round(linear * 65535));
        }
        return data;
    }

    private static byte[] Xyz(double[] xyz)
    {
        var data = new byte[20];
        Encoding.ASCII.GetBytes("XYZ ").CopyTo(data, 0);
        for (int i = 0; i < 3; i++)
        {
            Fixed(data.AsSpan(8 + 4 * i), xyz[i]);
        }
        return data;
    }

    private static byte[] Text(string text)
    {
        var data = new byte[8 + text.Length + 1];
        Encoding.ASCII.GetBytes("text").CopyTo(data, 0);
        Encoding.ASCII.GetBytes(text).CopyTo(data, 8);
        return data;
    }

    private static byte[] Description(string text)
    {
        // textDescriptionType: ASCII count and string, then empty Unicode and ScriptCode parts (67 bytes fixed).
        var data = new byte[12 + text.Length + 1 + 8 + 3 + 67];
        Encoding.ASCII.GetBytes("desc").CopyTo(data, 0);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), (uint)(text.Length + 1));
        Encoding.ASCII.GetBytes(text).CopyTo(data, 12);
        return data;
    }

    private static void Fixed(Span<byte> at, double value) => BinaryPrimitives.WriteInt32BigEndian(at, (int)Math.Round(value * 65536));

    private static double[] Multiply(double[,] m, double[] v) =>
        [.. Enumerable.Range(0, 3).Select(r => m[r, 0] * v[0] + m[r, 1] * v[1] + m[r, 2] * v[2])];

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var c = new double[3, 3];
        for (int r = 0; r < 3; r++)
        {
            for (int k = 0; k < 3; k++)
            {
                c[r, k] = a[r, 0] * b[0, k] + a[r, 1] * b[1, k] + a[r, 2] * b[2, k];
            }
        }
        return c;
    }

    private static double[,] Inverse(double[,] m)
    {
        double det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
            + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        var inv = new double[3, 3];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                // Cofactor of (c, r), by the cyclic-index shortcut for 3x3 matrices.
                int r1 = (c + 1) % 3, r2 = (c + 2) % 3, c1 = (r + 1) % 3, c2 = (r + 2) % 3;
                inv[r, c] = (m[r1, c1] * m[r2, c2] - m[r1, c2] * m[r2, c1]) / det;
            }
        }
        return inv;
    }
}
