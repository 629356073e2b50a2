using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace SuperRes.Tiling;

/// <summary>Which sides of a tile share output pixels with a neighbour that is blended in the same accumulator.</summary>
internal readonly record struct Neighbours(bool Left, bool Right, bool Above, bool Below);

/// <summary>
/// Blends tile outputs, holding in float only the pixels two tiles share: a tile's own part (weight 1) goes to
/// the sink straight from the engine's output; the rows it shares with the tile row below wait in a carry as
/// wide as the strip, and the columns it shares with its right neighbour in a seam as high as the tile.
/// So memory is two carries of one overlap's height, not a whole tile row of float output.
/// Tiles are added left to right and rows top to bottom: every shared pixel is summed in that order, from 0,
/// each product rounded as the scalar expression, so the same input always gives the same bytes.
/// </summary>
internal sealed class BandAccumulator : IDisposable
{
    /// <summary>Three float channels.</summary>
    public const int BytesPerPixel = 12;

    private readonly int width;
    private readonly int ramp; // output pixels two neighbours share
    private readonly Action<int, int, Mat> sink;
    private Mat? carry; // the current row's top share, with the row above's part in it
    private Mat? nextCarry; // the current row's bottom share
    private int carryTop = -1, nextCarryTop = -1; // output rows they start at (-1: not in use)
    private Mat? seam; // the last tile's share with its right neighbour, middle rows only
    private int seamX = -1;

    /// <param name="width">Output columns of the strip blended here.</param>
    /// <param name="ramp">Output pixels two neighbouring tiles share (twice the overlap times the scale).</param>
    /// <param name="sink">Receives (column, row, block as CV_32FC3) once the block's pixels are final here; each pixel once.</param>
    public BandAccumulator(int width, int ramp, Action<int, int, Mat> sink)
    {
        this.width = width;
        this.ramp = ramp;
        this.sink = sink;
    }

    /// <summary>Adds <paramref name="tileOutput"/> at output position (x, y) with per-axis weights.</summary>
    public void Add(Mat tileOutput, int x, int y, float[] weightX, float[] weightY, Neighbours shares)
    {
        int rows = tileOutput.Rows, cols = tileOutput.Cols;
        int top = shares.Above ? ramp : 0, bottom = shares.Below ? ramp : 0;
        int left = shares.Left ? ramp : 0, right = shares.Right ? ramp : 0;
        if (x < 0 || x + cols > width || top + bottom > rows || left + right > cols
            || (shares.Above && carryTop != y) || (shares.Left && seamX != x))
        {
            throw new InvalidOperationException("Tile out of turn: it falls outside the strip, or the shares it adds to are not held.");
        }
        var weights = new Weights(weightX, weightY);
        if (top > 0)
        {
            AddWeighted(tileOutput, new Rect(0, 0, cols, top), carry!, x, 0, weights);
        }
        if (bottom > 0)
        {
            nextCarry ??= Zeros(ramp, width);
            AddWeighted(tileOutput, new Rect(0, rows - bottom, cols, bottom), nextCarry, x, 0, weights);
            nextCarryTop = y + rows - bottom;
        }
        int middle = rows - top - bottom;
        if (middle == 0)
        {
            return;
        }
        if (left > 0)
        {
            AddWeighted(tileOutput, new Rect(0, top, left, middle), seam!, 0, 0, weights);
            sink(x, y + top, seam!);
            seam!.Dispose();
            seam = null;
            seamX = -1;
        }
        var own = new Rect(left, top, cols - left - right, middle);
        if (own.Width > 0)
        {
            Own(tileOutput, own, x, y, weights);
        }
        if (right > 0)
        {
            seam = Zeros(middle, right);
            AddWeighted(tileOutput, new Rect(cols - right, top, right, middle), seam, 0, 0, weights);
            seamX = x + cols - right;
        }
    }

    /// <summary>The current row's tiles are all added: its top share is final, and its bottom share becomes the next row's top.</summary>
    public void EndRow()
    {
        if (carry is not null && carryTop >= 0)
        {
            sink(0, carryTop, carry);
            carry.SetTo(Scalar.All(0));
        }
        (carry, nextCarry) = (nextCarry, carry);
        (carryTop, nextCarryTop) = (nextCarryTop, -1);
    }

    /// <summary>Float bytes held at most, for a strip of <paramref name="width"/> output columns and tiles up to <paramref name="tileHeight"/> output rows.</summary>
    public static long BytesFor(long width, int ramp, int tileHeight, bool severalRows) =>
        ((severalRows ? 2L * ramp * width : 0) + 2L * ramp * tileHeight) * BytesPerPixel;

    /// <summary>Pixels no neighbour shares here: straight to the sink where their weights are all 1, else weighted first.</summary>
    private void Own(Mat tileOutput, Rect own, int x, int y, Weights weights)
    {
        bool whole = weights.X.AsSpan(own.X, own.Width).IndexOfAnyExcept(1f) < 0
            && weights.Y.AsSpan(own.Y, own.Height).IndexOfAnyExcept(1f) < 0;
        if (whole)
        {
            // 0 + v·1 is v: the engine's output as it is, no copy.
            using var view = new Mat(tileOutput, own);
            sink(x + own.X, y + own.Y, view);
            return;
        }
        // A tile faded towards a neighbour blended elsewhere (the next column strip): its weighted part goes now.
        using var part = Zeros(own.Height, own.Width);
        AddWeighted(tileOutput, own, part, 0, 0, weights);
        sink(x + own.X, y + own.Y, part);
    }

    private static Mat Zeros(int rows, int cols) => new(rows, cols, MatType.CV_32FC3, Scalar.All(0));

    /// <summary>dst[dstY + r, dstX + c] += src[from] · (wy · wx) for the block <paramref name="from"/> of the tile.</summary>
    private static unsafe void AddWeighted(Mat src, Rect from, Mat dst, int dstX, int dstY, Weights weights)
    {
        int values = 3 * from.Width;
        var weightPerValue = new float[values]; // each column's weight for its three channels, so rows go a vector at a time
        for (int c = 0; c < from.Width; c++)
        {
            weightPerValue[3 * c] = weightPerValue[3 * c + 1] = weightPerValue[3 * c + 2] = weights.X[from.X + c];
        }
        for (int r = 0; r < from.Height; r++)
        {
            float wy = weights.Y[from.Y + r];
            if (wy == 0f)
            {
                continue;
            }
            var s = new ReadOnlySpan<float>((float*)src.Ptr(from.Y + r) + 3 * from.X, values);
            var d = new Span<float>((float*)dst.Ptr(dstY + r) + 3 * dstX, values);
            AddWeighted(s, d, wy, weightPerValue);
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

    public void Dispose()
    {
        carry?.Dispose();
        nextCarry?.Dispose();
        seam?.Dispose();
    }

    private readonly record struct Weights(float[] X, float[] Y);
}
