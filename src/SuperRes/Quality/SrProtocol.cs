using OpenCvSharp;

namespace SuperRes.Quality;

/// <summary>
/// The SR literature's evaluation: crop HR to a multiple of the scale, shrink with MATLAB bicubic,
/// upscale, and compare on BT.601 Y (a single-channel image on its grey values) with `scale` pixels
/// shaved off every border.
/// </summary>
public static class SrProtocol
{
    public static Mat CropToMultiple(Mat hr, int scale)
    {
        int h = hr.Rows - hr.Rows % scale, w = hr.Cols - hr.Cols % scale;
        using var roi = new Mat(hr, new Rect(0, 0, w, h));
        return roi.Clone();
    }

    public static Mat Downscale(Mat hrCropped, int scale) => MatlabResize.Resize(hrCropped, 1.0 / scale);

    public static (double Psnr, double Ssim) Score(Mat hrCropped, Mat sr, int scale)
    {
        if (hrCropped.Channels() != sr.Channels())
        {
            // A grey HR is scored on grey values and a colour one on Y: the two planes are not comparable.
            throw new ArgumentException($"The upscaled image has {sr.Channels()} channels and the reference {hrCropped.Channels()}.", nameof(sr));
        }
        var a = LumaY.Shave(LumaY.From(hrCropped), scale);
        var b = LumaY.Shave(LumaY.From(sr), scale);
        return (ImageMetrics.Psnr(a, b), ImageMetrics.Ssim(a, b));
    }
}
