using OpenCvSharp;
using SuperRes.Restoration;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Restoration;

public class NoiseLevelTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(12)]
    public void The_noise_on_a_flat_grey_picture_is_measured_as_added(double sigma)
    {
        using var picture = new Mat(256, 256, MatType.CV_8UC1, Scalar.All(128));
        using var noisy = WithNoise(picture, sigma, seed: 1);
        Assert.InRange(NoiseLevel.Estimate(noisy), sigma * 0.95, sigma * 1.05);
    }

    [Fact]
    public void A_clean_photo_reads_near_zero_and_the_same_photo_with_noise_reads_higher()
    {
        using var clean = TestData.Read(TestData.Set5Image("baby")); // 512x512, smooth skin and background
        double quiet = NoiseLevel.Estimate(clean);
        Assert.InRange(quiet, 0, 1.0);
        using var noisy = WithNoise(clean, 5, seed: 2);
        Assert.InRange(NoiseLevel.Estimate(noisy), 4.0, 5.5); // grey noise: luma carries all of it
    }

    [Fact]
    public void A_large_picture_is_measured_on_its_centre_and_16_bit_on_the_8_bit_scale()
    {
        using var big = new Mat(2000, 1500, MatType.CV_8UC3, Scalar.All(100));
        using var noisy = WithNoise(big, 8, seed: 3);
        double eight = NoiseLevel.Estimate(noisy);
        Assert.InRange(eight, 8 * 0.95, 8 * 1.05);
        using var wide = new Mat();
        noisy.ConvertTo(wide, MatType.CV_16UC3, 257);
        Assert.Equal(eight, NoiseLevel.Estimate(wide), 2);
        using var tiny = new Mat(10, 10, MatType.CV_8UC3, Scalar.All(0));
        Assert.Equal(0, NoiseLevel.Estimate(tiny));
    }

    /// <summary>The same Gaussian noise in every channel (so luma carries sigma), rounded to 8 bits.</summary>
    private static Mat WithNoise(Mat image, double sigma, int seed)
    {
        var random = new Random(seed);
        var values = new float[image.Rows * image.Cols];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        using var floats = new Mat();
        image.ConvertTo(floats, MatType.CV_32FC(image.Channels()));
        using var noise = Mat.FromPixelData(image.Rows, image.Cols, MatType.CV_32FC1, values);
        using var spread = image.Channels() == 1 ? noise.Clone() : new Mat();
        if (image.Channels() == 3)
        {
            Cv2.Merge([noise, noise, noise], spread);
        }
        Cv2.Add(floats, spread, floats);
        var result = new Mat();
        floats.ConvertTo(result, MatType.CV_8UC(image.Channels()));
        return result;
    }
}
