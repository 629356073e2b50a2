using OpenCvSharp;

namespace SuperRes.Imaging;

/// <summary>
/// A decoded, upright image split the way the pipeline needs it: colour as BGR at the source depth
/// (8 or 16 bit; grey replicated to three channels) and alpha, if any. Tiles are turned into floats one
/// at a time, so the input costs 3 or 6 bytes a pixel, not 12.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    /// <summary>CV_8UC3 or CV_16UC3, BGR.</summary>
    public required Mat Colour { get; init; }

    /// <summary>Multiplier that maps <see cref="Colour"/> values to [0, 1].</summary>
    public double UnitScale => Colour.Depth() == MatType.CV_16U ? 1.0 / 65535 : 1.0 / 255;

    /// <summary>A region of the colour as CV_32FC3 in [0, 1], as the engines take it.</summary>
    public Mat UnitFloat(Rect region)
    {
        using var part = new Mat(Colour, region);
        var unit = new Mat();
        part.ConvertTo(unit, MatType.CV_32FC3, UnitScale);
        return unit;
    }

    public Mat? Alpha { get; init; }

    public required bool IsGrayscale { get; init; }

    /// <summary>8 or 16 bits per sample in the source.</summary>
    public required int BitDepth { get; init; }

    public required ImageFormat SourceFormat { get; init; }

    public byte[]? IccProfile { get; init; }

    /// <summary>The file embedded a colour profile over the size limit (or an unreadable one), which was left out.</summary>
    public bool IccProfileDropped { get; init; }

    /// <summary>True when the input was larger than the megapixel limit and was downscaled to fit.</summary>
    public bool WasDownscaled { get; init; }

    public int Width => Colour.Cols;

    public int Height => Colour.Rows;

    public void Dispose()
    {
        Colour.Dispose();
        Alpha?.Dispose();
    }
}
