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
    [InlineData(0, 4, 0)]   // inside
    [InlineData(4, 4, 3)]
    [InlineData(-1, 4, 1)]  // MATLAB's 1-based 0 and -1 fold back onto pixels 1 and 2
    [InlineData(-2, 4, 2)]
    [InlineData(5, 4, 3)]   // 1-based 5 and 6 past a 4-pixel line read pixels 4 and 3
    [InlineData(6, 4, 2)]
    [InlineData(-8, 3, 2)]  // a kernel wider than the line folds back more than once
    public void Border_is_mirrored_as_matlab_does(int oneBased, int length, int expected) =>
        Assert.Equal(expected, MatlabResize.Mirror(oneBased, length));

    public static TheoryData<string, int> ProtocolSets => new() { { "Set5", 2 }, { "Set5", 3 }, { "Set5", 4 }, { "Set14", 2 }, { "Set14", 3 }, { "Set14", 4 } };

    [Theory]
    [MemberData(nameof(ProtocolSets))]
    public void Reproduces_the_protocol_low_resolution_files_exactly(string dataset, int scale)
    {
        foreach (var hrPath in TestData.DatasetImages(dataset))
        {
            using var hr = TestData.Read(hrPath);
            using var cropped = SrProtocol.CropToMultiple(hr, scale);
            using var lr = SrProtocol.Downscale(cropped, scale);
            using var expected = TestData.Read(Path.Combine(TestData.Shared, "datasets", dataset, "LR_bicubic", $"X{scale}", Path.GetFileName(hrPath)));
            Assert.Equal(expected.Channels(), lr.Channels());
            Assert.True(Pixels.MaxAbsDiff(lr, expected) == 0, $"{dataset}/{Path.GetFileName(hrPath)} x{scale} differs from LR_bicubic");
        }
    }

    [Theory]
    [InlineData("down_x2", 1.0 / 2)]
    [InlineData("down_x3", 1.0 / 3)]
    [InlineData("down_x4", 1.0 / 4)]
    [InlineData("up_x2", 2.0)]
    public void Matches_matlabs_own_imresize_of_a_double_image(string name, double scale)
    {
        // MATLAB R2017b's imresize(im2double(img), scale, 'bicubic'), saved as 8 bits: rounded once.
        string folder = Path.Combine(TestData.Shared, "datasets", "matlab-imresize");
        using var source = TestData.Read(Path.Combine(folder, "baboon.png"));
        using var expected = TestData.Read(Path.Combine(folder, $"baboon_{name}_matlab.png"));
        using var ours = MatlabResize.Resize(source, scale, MatlabInput.Double);
        Assert.Equal(expected.Size(), ours.Size());
        // Ties of the final rounding may fall either way between MATLAB's arithmetic and ours.
        Assert.True(Pixels.MaxAbsDiff(ours, expected) <= 1, $"{name} differs from MATLAB by more than one grey level");
    }

    [Theory]
    [InlineData("Set5", 2, 33.66, 33.68)]
    [InlineData("Set5", 3, 30.39, 30.41)]
    [InlineData("Set5", 4, 28.42, 28.44)]
    [InlineData("Set14", 2, 30.22, 30.25)]
    [InlineData("Set14", 3, 27.53, 27.56)]
    [InlineData("Set14", 4, 25.98, 26.01)]
    public void Bicubic_gives_the_published_PSNR(string dataset, int scale, double low, double high)
    {
        var scores = TestData.DatasetImages(dataset).Select(path =>
        {
            using var hr = TestData.Read(path);
            using var cropped = SrProtocol.CropToMultiple(hr, scale);
            using var lr = SrProtocol.Downscale(cropped, scale);
            using var up = MatlabResize.Resize(lr, scale);
            return SrProtocol.Score(cropped, up, scale).Psnr;
        }).ToList();
        Assert.InRange(scores.Average(), low, high);
    }
}
