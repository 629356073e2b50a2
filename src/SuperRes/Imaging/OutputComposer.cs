using OpenCvSharp;

namespace SuperRes.Imaging;

/// <summary>
/// Owns the output image: receives blended colour rows as they finish, writes them at the output's depth
/// and channel layout, and adds the upscaled alpha. Decides what the output keeps: 16 bits where the
/// format holds them, alpha where the format holds it, grey for grey inputs.
/// </summary>
public sealed class OutputComposer : IDisposable
{
    private readonly DecodedImage source;
    private readonly double maxValue;
    private readonly MatType depth;

    /// <param name="encodeEarly">PNG output without alpha is compressed in row blocks as rows become final
    /// (<see cref="RowsFinal"/>), while the engine works on the rows below; <see cref="EarlyPng"/> finishes it.</param>
    public OutputComposer(DecodedImage source, int scale, ImageFormat format, bool encodeEarly = false)
    {
        this.source = source;
        bool sixteen = source.BitDepth == 16 && ImageFormats.Supports16Bit(format);
        depth = sixteen ? MatType.CV_16U : MatType.CV_8U;
        maxValue = sixteen ? 65535 : 255;
        int channels = source.HasAlpha && ImageFormats.SupportsAlpha(format) ? 4 : source.IsGrayscale ? 1 : 3;
        Image = new Mat(source.Height * scale, source.Width * scale, MatType.MakeType(depth.Depth, channels));
        // Alpha is written after every colour row, so a picture with it is encoded whole, at the end.
        EarlyPng = encodeEarly && format == ImageFormat.Png && channels != 4 ? new PngWriter(Image) : null;
    }

    /// <summary>The PNG being written as rows become final, when asked for and possible; null = encode <see cref="Image"/>.</summary>
    internal PngWriter? EarlyPng { get; }

    /// <summary>Rows [0, <paramref name="rows"/>) of <see cref="Image"/> are done.</summary>
    public void RowsFinal(int rows) => EarlyPng?.RowsFinal(rows);

    /// <summary>The output pixels: grey, BGR or BGRA, 8 or 16 bit.</summary>
    public Mat Image { get; }

    /// <summary>Writes a block at (left, top) from CV_32FC3 BGR values in [0, 1] (clamped here).</summary>
    public void WriteColour(int left, int top, Mat rows)
    {
        using var target = new Mat(Image, new Rect(left, top, rows.Cols, rows.Rows));
        using var colour = new Mat();
        if (source.IsGrayscale)
        {
            using var grey = new Mat();
            Cv2.CvtColor(rows, grey, ColorConversionCodes.BGR2GRAY);
            if (Image.Channels() == 1)
            {
                grey.ConvertTo(target, depth, maxValue);
                return;
            }
            Cv2.CvtColor(grey, colour, ColorConversionCodes.GRAY2BGR);
            colour.ConvertTo(colour, depth, maxValue);
        }
        else if (Image.Channels() == 3)
        {
            rows.ConvertTo(target, depth, maxValue); // straight into the output: no block-sized temporary
            return;
        }
        else
        {
            rows.ConvertTo(colour, depth, maxValue);
        }
        if (Image.Channels() == 3)
        {
            colour.CopyTo(target);
        }
        else
        {
            Cv2.MixChannels([colour], [target], [0, 0, 1, 1, 2, 2]);
        }
    }

    /// <summary>Upscales alpha with bicubic interpolation (pixel centres aligned like the model's output) into channel 3.</summary>
    public void WriteAlpha()
    {
        if (!source.HasAlpha || Image.Channels() != 4)
        {
            return;
        }
        using var alpha = new Mat();
        Cv2.Resize(source.Alpha!, alpha, Image.Size(), 0, 0, InterpolationFlags.Cubic);
        if (alpha.Depth() != depth)
        {
            alpha.ConvertTo(alpha, depth, depth == MatType.CV_8U ? 1.0 / 257 : 257);
        }
        Cv2.MixChannels([alpha], [Image], [0, 3]);
    }

    public void Dispose()
    {
        EarlyPng?.Dispose(); // its blocks read Image
        Image.Dispose();
    }
}
