using OpenCvSharp;
using SuperRes.Imaging;

namespace SuperRes.Quality;

/// <summary>
/// MATLAB's imresize with the bicubic kernel (a = -0.5), antialiased when shrinking (the kernel is widened
/// by 1/scale), borders replicated, as the super-resolution literature uses it to make low-resolution inputs. Works in double
/// precision, resizes rows then columns, and rounds to 8 bits once at the end.
/// </summary>
public static class MatlabResize
{
    /// <summary>Resizes an 8-bit image (1 or 3 channels) by <paramref name="scale"/> (e.g. 1/3.0 down, 3 up).</summary>
    public static Mat Resize(Mat image, double scale)
    {
        int h = image.Rows, w = image.Cols, c = image.Channels();
        int outH = (int)Math.Ceiling(h * scale), outW = (int)Math.Ceiling(w * scale);
        var rows = Contributions(h, outH, scale);
        var cols = Contributions(w, outW, scale);

        var src = ToDouble(image);
        // Height first, as MATLAB does when both dimensions change by the same factor.
        var tmp = new double[outH * w * c];
        for (int y = 0; y < outH; y++)
        {
            var (idx, wt) = rows[y];
            for (int x = 0; x < w; x++)
            for (int ch = 0; ch < c; ch++)
            {
                double sum = 0;
                for (int k = 0; k < idx.Length; k++)
                {
                    sum += wt[k] * src[(idx[k] * w + x) * c + ch];
                }
                tmp[(y * w + x) * c + ch] = sum;
            }
        }
        var bytes = new byte[outH * outW * c];
        for (int y = 0; y < outH; y++)
        for (int x = 0; x < outW; x++)
        {
            var (idx, wt) = cols[x];
            for (int ch = 0; ch < c; ch++)
            {
                double sum = 0;
                for (int k = 0; k < idx.Length; k++)
                {
                    sum += wt[k] * tmp[(y * w + idx[k]) * c + ch];
                }
                bytes[(y * outW + x) * c + ch] = (byte)Math.Clamp(Math.Round(sum, MidpointRounding.AwayFromZero), 0, 255);
            }
        }
        return MatBytes.Write(bytes, outH, outW, c);
    }

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
    /// border repeat the edge pixel: that is what reproduces the protocol's LR_bicubic files exactly.
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
                idx.Add(Math.Clamp(j, 1, inLength) - 1);
                wt.Add(weight);
                sum += weight;
            }
            result[i] = (idx.ToArray(), wt.Select(v => v / sum).ToArray());
        }
        return result;
    }

    private static double[] ToDouble(Mat image)
    {
        if (image.Depth() != MatType.CV_8U)
        {
            throw new ArgumentException("MatlabResize takes 8-bit images.", nameof(image));
        }
        return MatBytes.Read(image).Select(b => (double)b).ToArray();
    }
}
