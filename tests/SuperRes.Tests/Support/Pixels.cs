using OpenCvSharp;

namespace SuperRes.Tests.Support;

/// <summary>Pixel comparisons for assertions.</summary>
public static class Pixels
{
    public static double MaxAbsDiff(Mat a, Mat b)
    {
        Assert.Equal(a.Size(), b.Size());
        Assert.Equal(a.Type(), b.Type());
        using var diff = new Mat();
        Cv2.Absdiff(a, b, diff);
        using var flat = diff.Reshape(1);
        flat.MinMaxLoc(out double _, out double max);
        return max;
    }

    /// <summary>PSNR between two 8-bit images of the same size over all channels.</summary>
    public static double Psnr(Mat a, Mat b) => Cv2.PSNR(a, b);
}
