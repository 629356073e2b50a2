using OpenCvSharp;
using SuperRes.Quality;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Quality;

public class MatlabResizeTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.5625)]     // 1.5*0.125 - 2.5*0.25 + 1
    [InlineData(1.0, 0.0)]
    [InlineData(1.5, -0.0625)]    // -0.5*3.375 + 2.5*2.25 - 6 + 2
    [InlineData(-1.5, -0.0625)]
    [InlineData(2.0, 0.0)]
    [InlineData(2.5, 0.0)]
    public void Cubic_kernel_matches_hand_computed_values(double x, double expected) =>
        Assert.Equal(expected, MatlabResize.Cubic(x), 12);

    [Fact]
    public void Downscale_weights_are_the_widened_kernel_normalised()
    {
        // x3 down: output pixel 0 sits at input u = 2 (1-based), kernel 12 wide; its weights sum to 1.
        var c = MatlabResize.Contributions(30, 10, 1.0 / 3);
        Assert.All(c, w => Assert.Equal(1.0, w.Weight.Sum(), 12));
        var (index, weight) = c[5];
        // Centre tap of output 5 is input 16 (0-based 15+1): u = 6/(1/3) + 0.5*(1-3) = 17 (1-based) = 16 (0-based).
        int centre = Array.IndexOf(weight, weight.Max());
        Assert.Equal(16, index[centre]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Reproduces_the_protocol_low_resolution_files(int scale)
    {
        foreach (var hrPath in TestData.Set5Images)
        {
            using var hr = TestData.Read(hrPath);
            using var cropped = SrProtocol.CropToMultiple(hr, scale);
            using var lr = SrProtocol.Downscale(cropped, scale);
            using var expected = TestData.Read(TestData.Set5Lr(Path.GetFileNameWithoutExtension(hrPath), scale));
            Assert.True(Pixels.MaxAbsDiff(lr, expected) <= 1, $"{hrPath} x{scale} differs from LR_bicubic by more than one grey level");
        }
    }

    [Theory]
    [InlineData(2, 33.64, 33.70)]
    [InlineData(3, 30.39, 30.42)]
    [InlineData(4, 28.41, 28.45)]
    public void Bicubic_on_Set5_gives_the_published_PSNR(int scale, double low, double high)
    {
        var scores = TestData.Set5Images.Select(path =>
        {
            using var hr = TestData.Read(path);
            using var cropped = SrProtocol.CropToMultiple(hr, scale);
            using var lr = SrProtocol.Downscale(cropped, scale);
            using var up = MatlabResize.Resize(lr, scale);
            return SrProtocol.Score(cropped, up, scale).Psnr;
        }).ToList();
        double mean = scores.Average();
        Assert.InRange(mean, low, high);
    }
}
