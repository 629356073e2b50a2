using OpenCvSharp;

namespace SuperRes.Restoration;

/// <summary>
/// How noisy a decoded picture is: the standard deviation of its noise on the 0-255 scale of luma, by Immerkær's fast
/// estimate ("Fast Noise Variance Estimation", 1996). His 3x3 mask is the difference of two Laplacians, which cancels
/// any plane and most smooth shading, so what stays is noise plus edges and texture. To keep edges and texture out,
/// the mask's response is averaged in 8x8 blocks and the estimate taken from the quietest blocks (the 2nd
/// percentile): every photo has smooth patches, and there only the noise answers. Small blocks and a low percentile
/// find the small smooth patches of busy pictures: over Set5 and Set14 LR (x2-x4) clean pictures read at most 3.3
/// with these, against 7.0 with 16x16 blocks at the 10th percentile.
/// </summary>
public static class NoiseLevel
{
    private const int Block = 8;
    private const double Percentile = 0.02;

    /// <summary>Where the 2nd percentile of 8x8 block means falls for pure Gaussian noise, as a share of the mean:
    /// measured on flat grey at sigma 3, 6 and 12 (0.690-0.704), and divided out so pure noise reads its sigma.</summary>
    private const double PercentileShare = 0.695;

    /// <summary>Pictures larger than this are measured on a centred crop of this many pixels: the answer does not
    /// need every pixel, and the cost stays a few milliseconds whatever the size.</summary>
    private const long MaxMeasuredPixels = 1_000_000;

    /// <summary>Noise sigma of a BGR or grey picture (8 or 16 bit), in 8-bit levels of luma; 0 for tiny pictures.</summary>
    public static double Estimate(Mat colour)
    {
        using var region = CentredCrop(colour);
        using var luma = Luma(region);
        if (luma.Rows < Block + 2 || luma.Cols < Block + 2)
        {
            return 0;
        }
        using var mask = new Mat(3, 3, MatType.CV_32F);
        mask.SetArray([1f, -2f, 1f, -2f, 4f, -2f, 1f, -2f, 1f]);
        using var response = new Mat();
        Cv2.Filter2D(luma, response, MatType.CV_32F, mask, borderType: BorderTypes.Reflect101);
        Cv2.Absdiff(response, Scalar.All(0), response);
        // Block means over the inner picture (the mask's border ring left out).
        int rows = (luma.Rows - 2) / Block, cols = (luma.Cols - 2) / Block;
        using var inner = new Mat(response, new Rect(1, 1, cols * Block, rows * Block));
        using var means = new Mat();
        Cv2.Resize(inner, means, new Size(cols, rows), interpolation: InterpolationFlags.Area);
        means.GetArray(out float[] values);
        Array.Sort(values);
        double quiet = values[(int)(Percentile * (values.Length - 1))];
        // Immerkær: sigma = sqrt(pi / 2) * mean|N * I| / 6 for the mask N above.
        return Math.Sqrt(Math.PI / 2) * quiet / 6 / PercentileShare;
    }

    private static Mat CentredCrop(Mat image)
    {
        long pixels = (long)image.Rows * image.Cols;
        if (pixels <= MaxMeasuredPixels)
        {
            return new Mat(image, new Rect(0, 0, image.Cols, image.Rows));
        }
        double f = Math.Sqrt((double)MaxMeasuredPixels / pixels);
        int w = Math.Max(1, (int)(image.Cols * f)), h = Math.Max(1, (int)(image.Rows * f));
        return new Mat(image, new Rect((image.Cols - w) / 2, (image.Rows - h) / 2, w, h));
    }

    /// <summary>BT.601 luma as float on the 0-255 scale (what the benchmark scores), from grey or BGR of 8 or 16 bits.</summary>
    private static Mat Luma(Mat image)
    {
        double unit = image.Depth() == MatType.CV_16U ? 255.0 / 65535 : 1;
        var luma = new Mat();
        if (image.Channels() == 1)
        {
            image.ConvertTo(luma, MatType.CV_32F, unit);
            return luma;
        }
        using var floats = new Mat();
        image.ConvertTo(floats, MatType.CV_32FC(image.Channels()), unit);
        using var bgr = image.Channels() == 4 ? floats.CvtColor(ColorConversionCodes.BGRA2BGR) : floats.Clone();
        Cv2.Transform(bgr, luma, Mat.FromPixelData(1, 3, MatType.CV_32F, new[] { 0.114f, 0.587f, 0.299f }));
        return luma;
    }
}
