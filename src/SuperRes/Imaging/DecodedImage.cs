using OpenCvSharp;
using SuperRes.Imaging.Vips;

namespace SuperRes.Imaging;

/// <summary>
/// An opened, upright input as the pipeline reads it: colour as BGR at the source depth (8 or 16 bit; grey spread to
/// three channels), alpha apart. Rows are decoded as they are asked for, top to bottom, and rows above what the tiles
/// still need are let go (<see cref="Release"/>), so a large picture costs a band of rows, not the whole picture.
/// Reading a region above what was let go is an error; <see cref="Colour"/> decodes and keeps everything.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    /// <summary>Rows pulled from the decoder at a time: fewer, larger reads cost less than one per tile row.</summary>
    private const int ReadRows = 64;

    private readonly VipsRows? rows;
    private readonly Lock sync = new(); // tiles of one row read their regions at the same time
    private Mat window;      // rows [windowTop, windowTop + window.Rows)
    private int windowTop;
    private bool keepAll;

    internal DecodedImage(VipsRows rows, bool isGrey)
    {
        this.rows = rows;
        Width = rows.Width;
        Height = rows.Height;
        BitDepth = rows.BitDepth;
        IsGrayscale = isGrey;
        var depth = BitDepth == 16 ? MatType.CV_16U : MatType.CV_8U;
        window = new Mat(0, Width, MatType.MakeType(depth, 3));
        if (rows.HasAlpha)
        {
            alpha = new Mat(Height, Width, MatType.MakeType(depth, 1), Scalar.All(0));
        }
    }

    /// <summary>A picture already in memory (BGR, 8 or 16 bit): for callers that made the pixels themselves.</summary>
    public DecodedImage(Mat colour, Mat? alpha = null, bool isGrayscale = false, ImageFormat sourceFormat = ImageFormat.Png)
    {
        window = colour;
        this.alpha = alpha;
        Width = colour.Cols;
        Height = colour.Rows;
        BitDepth = colour.Depth() == MatType.CV_16U ? 16 : 8;
        IsGrayscale = isGrayscale;
        SourceFormat = sourceFormat;
        keepAll = true;
    }

    public int Width { get; }

    public int Height { get; }

    public bool IsGrayscale { get; }

    /// <summary>8 or 16 bits per sample in the source.</summary>
    public int BitDepth { get; }

    /// <summary>Multiplier that maps colour values to [0, 1].</summary>
    public double UnitScale => BitDepth == 16 ? 1.0 / 65535 : 1.0 / 255;

    public ImageFormat SourceFormat { get; init; }

    /// <summary>The input's own ICC profile (kept for the output), or null.</summary>
    public byte[]? IccProfile { get; init; }

    /// <summary>The colours were converted from <see cref="IccProfile"/> to sRGB for the model (the output converts back).</summary>
    public bool ConvertedToSrgb { get; init; }

    /// <summary>The file embedded a colour profile over the size limit (or an unreadable one), which was left out.</summary>
    public bool IccProfileDropped { get; init; }

    /// <summary>True when the input was larger than the megapixel limit and was downscaled to fit.</summary>
    public bool WasDownscaled { get; init; }

    /// <summary>Frames or pages in the file; only the first is here.</summary>
    public int Frames { get; init; } = 1;

    /// <summary>The input has an alpha channel (<see cref="Alpha"/>).</summary>
    public bool HasAlpha => alpha is not null;

    /// <summary>Alpha at the source depth, the whole picture's: asking for it decodes every row not read yet.</summary>
    public Mat? Alpha
    {
        get
        {
            if (alpha is not null)
            {
                lock (sync)
                {
                    Ensure(Height);
                }
            }
            return alpha;
        }
    }

    private Mat? alpha; // filled as rows are read

    /// <summary>The whole colour image: decodes every row not read yet and keeps them all.</summary>
    public Mat Colour
    {
        get
        {
            lock (sync)
            {
                KeepAll();
                Ensure(Height);
                return window;
            }
        }
    }

    /// <summary>Keeps every row from now on: for a caller that will read regions out of order (column strips).</summary>
    public void KeepAll()
    {
        lock (sync)
        {
            if (windowTop > 0)
            {
                throw new InvalidOperationException("Rows above row " + windowTop + " were already let go.");
            }
            keepAll = true;
        }
    }

    /// <summary>Kills the decoder when <paramref name="ct"/> fires, even inside one long native call.</summary>
    public void CancelWith(CancellationToken ct) => rows?.CancelWith(ct);

    /// <summary>The first rows, up to about <paramref name="pixels"/> pixels (at least one row): what can be measured
    /// (noise, say) before the tiles start, without decoding the rest. A view the caller disposes, valid until the
    /// rows are let go.</summary>
    public Mat Head(long pixels)
    {
        lock (sync)
        {
            if (windowTop > 0)
            {
                throw new InvalidOperationException("The first rows were already let go.");
            }
            int count = (int)Math.Clamp(pixels / Math.Max(1, Width), 1, Height);
            Ensure(count);
            return new Mat(window, new Rect(0, 0, Width, count));
        }
    }

    /// <summary>A region of the colour as CV_32FC3 in [0, 1], as the engines take it.</summary>
    public Mat UnitFloat(Rect region)
    {
        lock (sync)
        {
            if (region.Y < windowTop)
            {
                throw new InvalidOperationException($"Row {region.Y} was let go already (rows from {windowTop} are kept).");
            }
            Ensure(region.Bottom);
            using var part = new Mat(window, new Rect(region.X, region.Y - windowTop, region.Width, region.Height));
            var unit = new Mat();
            part.ConvertTo(unit, MatType.CV_32FC3, UnitScale);
            return unit;
        }
    }

    /// <summary>Lets go of the rows above <paramref name="row"/>: no region read from now on starts above it.</summary>
    public void Release(int row)
    {
        lock (sync)
        {
            Drop(row);
        }
    }

    private void Drop(int row)
    {
        if (keepAll || row <= windowTop)
        {
            return;
        }
        int drop = Math.Min(row, windowTop + window.Rows) - windowTop;
        Mat kept;
        using (var rest = window.RowRange(drop, window.Rows))
        {
            kept = rest.Clone();
        }
        window.Dispose();
        window = kept;
        windowTop += drop;
    }

    /// <summary>Reads rows until <paramref name="bottom"/> is in the window (which always ends at the next row to read).</summary>
    private void Ensure(int bottom)
    {
        if (rows is null || bottom <= rows.Next)
        {
            return;
        }
        int count = Math.Max(bottom - rows.Next, Math.Min(ReadRows, Height - rows.Next));
        int top = rows.Next;
        // One allocation for the rows kept and the rows to come; the decoder writes straight into it.
        var grown = new Mat(window.Rows + count, Width, window.Type());
        if (window.Rows > 0)
        {
            using var kept = grown.RowRange(0, window.Rows);
            window.CopyTo(kept);
        }
        using (var fresh = grown.RowRange(window.Rows, window.Rows + count))
        using (var alphaRows = alpha?.RowRange(top, top + count))
        {
            try
            {
                rows.ReadInto(fresh, alphaRows);
            }
            catch
            {
                grown.Dispose();
                throw;
            }
        }
        window.Dispose();
        window = grown;
    }

    public void Dispose()
    {
        window.Dispose();
        alpha?.Dispose();
        rows?.Dispose();
    }
}
