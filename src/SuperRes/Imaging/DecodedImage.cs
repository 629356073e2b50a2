using OpenCvSharp;

namespace SuperRes.Imaging;

/// <summary>
/// A decoded, upright image split the way the pipeline needs it: colour as float BGR in [0, 1]
/// (grayscale replicated to three channels) and alpha, if any, kept at its source depth.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    public required Mat Colour { get; init; }

    public Mat? Alpha { get; init; }

    public required bool IsGrayscale { get; init; }

    /// <summary>8 or 16 bits per sample in the source.</summary>
    public required int BitDepth { get; init; }

    public required ImageFormat SourceFormat { get; init; }

    public byte[]? IccProfile { get; init; }

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
