using OpenCvSharp;
using SuperRes.Imaging;

namespace SuperRes.Quality;

/// <summary>
/// MATLAB's imresize with the bicubic kernel (a = -0.5), antialiased when shrinking (the kernel is widened
/// by 1/scale), as the super-resolution literature uses it to make low-resolution inputs. Like MATLAB on a
/// uint8 image it resizes the height, then the width, each pass in double precision and rounded back to
/// 8 bits, and it mirrors the border (symmetric padding: the edge pixel is repeated once, then the image
/// is read backwards). With those three details it reproduces the benchmark's LR_bicubic files exactly.
/// </summary>
/// <remarks>Single-threaded and double precision: it serves the quality protocol, not the product's pipeline.</remarks>
public static class MatlabResize
{
    /// <summary>
    /// Resizes an 8-bit image (1 or 3 channels) by <paramref name="scale"/> (e.g. 1/3.0 down, 3 up), with the
    /// arithmetic MATLAB uses for a uint8 image (the protocol's) or, with <see cref="MatlabInput.Double"/>,
    /// for <c>im2double</c> of it, rounded to 8 bits once at the end.
    /// </summary>
    public static Mat Resize(Mat image, double scale, MatlabInput input = MatlabInput.Uint8)
    {
        if (image.Depth() != MatType.CV_8U)
        {
            throw new ArgumentException("MatlabResize takes 8-bit images.", nameof(image));
        }
        int h = image.Rows, w = image.Cols, c = image.Channels();
        int outH = (int)Math.Ceiling(h * scale), outW = (int)Math.Ceiling(w * scale);
        bool roundEachPass = input == MatlabInput.Uint8;
        var src = MatBytes.Read(image).Select(b => (double)b).ToArray();
        // Height first, as MATLAB does when both dimensions change by the same factor.
        var tall = ResizeHeight(src, w * c, Contributions(h, outH, scale), roundEachPass);
        var wide = ResizeWidth(tall, outH, w, outW, c, Contributions(w, outW, scale));
        return MatBytes.Write(wide.Select(ToByte).ToArray(), outH, outW, c);
    }

    /// <summary>The first pass, down each column: an output row mixes whole input rows of <paramref name="rowLength"/> samples.</summary>
    private static double[] ResizeHeight(double[] src, int rowLength, (int[] Index, double[] Weight)[] contributions, bool round)
    {
        var dst = new double[contributions.Length * rowLength];
        for (int y = 0; y < contributions.Length; y++)
        {
            var (idx, wt) = contributions[y];
            for (int s = 0; s < rowLength; s++)
            {
                double sum = 0;
                for (int k = 0; k < idx.Length; k++)
                {
                    sum += wt[k] * src[idx[k] * rowLength + s];
                }
                dst[y * rowLength + s] = round ? ToByte(sum) : sum;
            }
        }
        return dst;
    }

    /// <summary>The second pass, along each row.</summary>
    private static double[] ResizeWidth(double[] src, int rows, int inW, int outW, int c, (int[] Index, double[] Weight)[] contributions)
    {
        var dst = new double[rows * outW * c];
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < outW; x++)
            {
                var (idx, wt) = contributions[x];
                for (int ch = 0; ch < c; ch++)
                {
                    double sum = 0;
                    for (int k = 0; k < idx.Length; k++)
                    {
                        sum += wt[k] * src[(y * inW + idx[k]) * c + ch];
                    }
                    dst[(y * outW + x) * c + ch] = sum;
                }
            }
        }

        return dst;
    }

    /// <summary>MATLAB's conversion of a double back to uint8: round half away from zero, saturate.</summary>
    private static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v, MidpointRounding.AwayFromZero), 0, 255);

    /// <summary>MATLAB's cubic kernel with a = -0.5.</summary>
    public static double Cubic(double x)
    {
        double ax = Math.Abs(x), ax2 = ax * ax, ax3 = ax2 * ax;
        if (ax <= 1)
        {
            return 1.5 * ax3 - 2.5 * ax2 + 1;
        }
        if (ax <= 2)
        {
            return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2;
        }
        return 0;
    }

    /// <summary>
    /// For each output index: the input indices it reads and their normalised weights. Indices past the
    /// border are mirrored (0 → 1, -1 → 2, … in MATLAB's 1-based terms), as imresize does.
    /// </summary>
    internal static (int[] Index, double[] Weight)[] Contributions(int inLength, int outLength, double scale)
    {
        const double kernelWidth = 4;
        bool antialias = scale < 1;
        double width = antialias ? kernelWidth / scale : kernelWidth;
        int taps = (int)Math.Ceiling(width) + 2;
        var result = new (int[], double[])[outLength];
        for (int i = 0; i < outLength; i++)
        {
            // 1-based MATLAB coordinates: output pixel centre i+1 maps to u in the input.
            double u = (i + 1) / scale + 0.5 * (1 - 1 / scale);
            int left = (int)Math.Floor(u - width / 2);
            var idx = new List<int>(taps);
            var wt = new List<double>(taps);
            double sum = 0;
            for (int k = 0; k < taps; k++)
            {
                int j = left + k;
                double d = u - j;
                double weight = antialias ? scale * Cubic(scale * d) : Cubic(d);
                if (weight == 0)
                {
                    continue;
                }
                idx.Add(Mirror(j, inLength));
                wt.Add(weight);
                sum += weight;
            }
            result[i] = (idx.ToArray(), wt.Select(v => v / sum).ToArray());
        }
        return result;
    }

    /// <summary>
    /// The 0-based index MATLAB reads for 1-based position <paramref name="j"/>: the sequence 1..n, n..1
    /// repeated (half-sample symmetric), so a kernel wider than the image still folds back inside it.
    /// </summary>
    internal static int Mirror(int j, int n)
    {
        int period = 2 * n;
        int m = ((j - 1) % period + period) % period;
        return m < n ? m : period - 1 - m;
    }
}
