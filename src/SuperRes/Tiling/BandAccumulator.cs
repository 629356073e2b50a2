using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace SuperRes.Tiling;

/// <summary>
/// Holds the weighted sum of tile outputs for the band of output rows the current tile row covers.
/// Rows that no later tile can touch are handed to the sink and dropped, so memory stays at one band
/// (the height of one tile's output) whatever the image height.
/// </summary>
internal sealed class BandAccumulator : IDisposable
{
    private readonly Mat band;
    private readonly Action<int, Mat> sink;
    private int top; // output row held at band row 0
    private int held; // rows of the band in use

    public BandAccumulator(int outputWidth, int bandHeight, Action<int, Mat> sink)
    {
        band = new Mat(bandHeight, outputWidth, MatType.CV_32FC3, Scalar.All(0));
        this.sink = sink;
    }

    /// <summary>Adds <paramref name="tileOutput"/> at output position (x, y) with per-axis weights.</summary>
    public unsafe void Add(Mat tileOutput, int x, int y, float[] weightX, float[] weightY)
    {
        int rows = tileOutput.Rows, cols = tileOutput.Cols;
        int bandRow0 = y - top;
        if (bandRow0 < 0 || bandRow0 + rows > band.Rows)
        {
            throw new InvalidOperationException("Tile falls outside the current band.");
        }
        held = Math.Max(held, bandRow0 + rows);
        int values = 3 * cols;
        var weightPerValue = new float[values]; // each column's weight for its three channels, so rows go a vector at a time
        for (int c = 0; c < cols; c++)
        {
            weightPerValue[3 * c] = weightPerValue[3 * c + 1] = weightPerValue[3 * c + 2] = weightX[c];
        }
        for (int r = 0; r < rows; r++)
        {
            float wy = weightY[r];
            if (wy == 0f)
            {
                continue;
            }
            var src = new ReadOnlySpan<float>((float*)tileOutput.Ptr(r), values);
            var dst = new Span<float>((float*)band.Ptr(bandRow0 + r) + 3 * x, values);
            AddWeighted(src, dst, wy, weightPerValue);
        }
    }

    /// <summary>dst += src · (wy · w), each product rounded as the scalar expression would: the same sums in any build.</summary>
    private static void AddWeighted(ReadOnlySpan<float> src, Span<float> dst, float wy, ReadOnlySpan<float> w)
    {
        int i = 0;
        var row = Vector256.Create(wy);
        for (; i <= src.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var weight = row * Vector256.Create(w[i..]);
            (Vector256.Create(dst[i..]) + Vector256.Create(src[i..]) * weight).CopyTo(dst[i..]);
        }
        for (; i < src.Length; i++)
        {
            dst[i] += src[i] * (wy * w[i]);
        }
    }

    /// <summary>Sends every row above <paramref name="outputRow"/> to the sink and shifts the band up.</summary>
    public void FlushUntil(int outputRow)
    {
        int n = Math.Min(outputRow - top, held);
        if (n <= 0)
        {
            return;
        }
        using (var done = band.RowRange(0, n))
        {
            sink(top, done);
        }
        int rest = held - n;
        if (rest > 0)
        {
            // Up in place (memmove): a copy of the rows kept would be another band-sized buffer at every flush.
            long rowBytes = band.Step();
            unsafe
            {
                byte* start = (byte*)band.Data;
                Buffer.MemoryCopy(start + n * rowBytes, start, rest * rowBytes, rest * rowBytes);
            }
        }
        using (var freed = band.RowRange(rest, held))
        {
            freed.SetTo(Scalar.All(0));
        }
        top += n;
        held = rest;
    }

    public void Dispose() => band.Dispose();
}
