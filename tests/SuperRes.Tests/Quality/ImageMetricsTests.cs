using OpenCvSharp;
using SuperRes.Quality;

namespace SuperRes.Tests.Quality;

public class ImageMetricsTests
{
    [Fact]
    public void Psnr_of_a_uniform_error_of_one_level()
    {
        var a = new double[20, 20];
        var b = new double[20, 20];
        for (int i = 0; i < 20; i++)
        {
            for (int j = 0; j < 20; j++)
            {
                a[i, j] = 100;
                b[i, j] = 101;
            }
        }

        Assert.Equal(10 * Math.Log10(255.0 * 255.0), ImageMetrics.Psnr(a, b), 9); // 48.13 dB
    }

    [Fact]
    public void Ssim_is_one_for_identical_images_and_drops_with_noise()
    {
        var rng = new Random(1);
        var a = new double[32, 32];
        var b = new double[32, 32];
        for (int i = 0; i < 32; i++)
        {
            for (int j = 0; j < 32; j++)
            {
                a[i, j] = rng.Next(256);
                b[i, j] = Math.Clamp(a[i, j] + rng.Next(-40, 41), 0, 255);
            }
        }

        Assert.Equal(1.0, ImageMetrics.Ssim(a, a), 12);
        Assert.InRange(ImageMetrics.Ssim(a, b), 0.5, 0.99);
    }

    [Fact]
    public void Ssim_of_a_constant_shift_follows_the_luminance_term()
    {
        // Flat images: variances are 0, so SSIM = (2*m1*m2 + C1) / (m1^2 + m2^2 + C1).
        var a = new double[16, 16];
        var b = new double[16, 16];
        for (int i = 0; i < 16; i++)
        {
            for (int j = 0; j < 16; j++)
            {
                a[i, j] = 100;
                b[i, j] = 120;
            }
        }

        const double c1 = 6.5025;
        Assert.Equal((2 * 100 * 120 + c1) / (100 * 100 + 120 * 120 + c1), ImageMetrics.Ssim(a, b), 9);
    }

    [Fact]
    public void Y_uses_BT601_studio_range()
    {
        using var white = new Mat(1, 1, MatType.CV_8UC3, Scalar.All(255));
        using var black = new Mat(1, 1, MatType.CV_8UC3, Scalar.All(0));
        using var red = new Mat(1, 1, MatType.CV_8UC3, new Scalar(0, 0, 255));
        Assert.Equal(235, LumaY.From(white)[0, 0], 9);
        Assert.Equal(16, LumaY.From(black)[0, 0], 9);
        Assert.Equal(16 + 65.481, LumaY.From(red)[0, 0], 9);
    }

    [Fact]
    public void A_single_channel_image_is_scored_on_its_grey_values()
    {
        using var grey = new Mat(1, 1, MatType.CV_8UC1, Scalar.All(200));
        Assert.Equal(200, LumaY.From(grey)[0, 0], 9);
    }

    [Fact]
    public void Shave_drops_the_border()
    {
        var y = new double[10, 12];
        y[3, 3] = 7;
        var s = LumaY.Shave(y, 3);
        Assert.Equal(4, s.GetLength(0));
        Assert.Equal(6, s.GetLength(1));
        Assert.Equal(7, s[0, 0]);
    }
}
