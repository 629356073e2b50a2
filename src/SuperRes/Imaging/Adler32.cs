namespace SuperRes.Imaging;

/// <summary>zlib's Adler-32 checksum, and the combination of two checksums of consecutive parts (as zlib's adler32_combine).</summary>
internal static class Adler32
{
    private const uint Base = 65521;

    /// <summary>Largest run of bytes whose sums cannot overflow 32 bits before the modulo.</summary>
    private const int MaxRun = 5552;

    public static uint Update(uint adler, ReadOnlySpan<byte> data)
    {
        uint a = adler & 0xFFFF, b = adler >> 16;
        while (data.Length > 0)
        {
            int n = Math.Min(MaxRun, data.Length);
            foreach (byte x in data[..n])
            {
                a += x;
                b += a;
            }
            a %= Base;
            b %= Base;
            data = data[n..];
        }
        return (b << 16) | a;
    }

    /// <summary>The checksum of A followed by B, from A's, B's and B's length.</summary>
    public static uint Combine(uint first, uint second, long secondLength)
    {
        ulong rem = (ulong)(secondLength % Base);
        ulong a1 = first & 0xFFFF, b1 = first >> 16, a2 = second & 0xFFFF, b2 = second >> 16;
        ulong a = (a1 + a2 + Base - 1) % Base;
        ulong b = (rem * a1 % Base + b1 + b2 + Base - rem) % Base;
        return (uint)((b << 16) | a);
    }
}
