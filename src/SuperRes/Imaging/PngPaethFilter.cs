using System.Runtime.Intrinsics;

namespace SuperRes.Imaging;

/// <summary>
/// PNG's Paeth filter (filter type 4): each byte minus whichever of its left, upper and upper-left neighbours is
/// nearest their gradient a + b − c. The prediction reads only unfiltered bytes, so whole vectors of a row are
/// predicted at once, in 16-bit lanes where a + b − c cannot overflow.
/// </summary>
internal static class PngPaethFilter
{
    /// <param name="current">The row's bytes in PNG's sample order.</param>
    /// <param name="above">The row above (zeros for the first row, as the PNG standard reads it).</param>
    /// <param name="pixelBytes">Bytes per pixel: the left neighbour of a byte is this far back.</param>
    /// <param name="filtered">Receives the filtered bytes; as long as <paramref name="current"/>.</param>
    public static void Apply(ReadOnlySpan<byte> current, ReadOnlySpan<byte> above, int pixelBytes, Span<byte> filtered)
    {
        int i = 0;
        for (; i < pixelBytes && i < current.Length; i++)
        {
            filtered[i] = (byte)(current[i] - above[i]); // no left neighbour: a = c = 0, so b is nearest
        }
        for (; i <= current.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
        {
            var (aLow, aHigh) = Vector256.Widen(Vector256.Create(current[(i - pixelBytes)..]));
            var (bLow, bHigh) = Vector256.Widen(Vector256.Create(above[i..]));
            var (cLow, cHigh) = Vector256.Widen(Vector256.Create(above[(i - pixelBytes)..]));
            var prediction = Vector256.Narrow(Predict(aLow.AsInt16(), bLow.AsInt16(), cLow.AsInt16()).AsUInt16(),
                Predict(aHigh.AsInt16(), bHigh.AsInt16(), cHigh.AsInt16()).AsUInt16());
            (Vector256.Create(current[i..]) - prediction).CopyTo(filtered[i..]);
        }
        for (; i < current.Length; i++)
        {
            filtered[i] = (byte)(current[i] - Predict(current[i - pixelBytes], above[i], above[i - pixelBytes]));
        }
    }

    /// <summary>The standard's predictor, ties going to a, then b.</summary>
    private static int Predict(int a, int b, int c)
    {
        int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - 2 * c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static Vector256<short> Predict(Vector256<short> a, Vector256<short> b, Vector256<short> c)
    {
        var pa = Vector256.Abs(b - c);
        var pb = Vector256.Abs(a - c);
        var pc = Vector256.Abs(b - c + (a - c));
        var useA = Vector256.LessThanOrEqual(pa, pb) & Vector256.LessThanOrEqual(pa, pc);
        return Vector256.ConditionalSelect(useA, a, Vector256.ConditionalSelect(Vector256.LessThanOrEqual(pb, pc), b, c));
    }
}
