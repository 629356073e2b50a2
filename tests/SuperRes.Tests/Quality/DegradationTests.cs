using OpenCvSharp;
using SuperRes.Quality;
using SuperRes.Restoration;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Quality;

/// <summary>The damage `bench quality --degrade` does: named, seeded, and the file a user would have.</summary>
public class DegradationTests
{
    [Fact]
    public void Jpeg_is_libjpegs_standard_tables_at_the_quality_with_4_2_0_chroma()
    {
        using var lr = TestData.Read(TestData.Set5Lr("butterfly", 3));
        var file = Degradation.Parse("jpeg:60").Apply(lr);
        Assert.Equal(new JpegQuality(60, true), JpegQuality.Read(file));
        // The frame header's components: luma sampled 2x2, both chroma planes 1x1.
        int sof = Enumerable.Range(0, file.Length - 1).First(i => file[i] == 0xFF && file[i + 1] == 0xC0);
        Assert.Equal(3, file[sof + 9]);
        Assert.Equal(0x22, file[sof + 11]);
        Assert.Equal(0x11, file[sof + 14]);
        Assert.Equal(0x11, file[sof + 17]);
    }

    [Fact]
    public void Noise_is_seeded_and_of_the_asked_strength_and_ends_as_a_png()
    {
        using var lr = new Mat(64, 64, MatType.CV_8UC3, Scalar.All(128));
        var noise = Degradation.Parse("noise:10");
        var first = noise.Apply(lr, seed: 4);
        Assert.Equal(first, noise.Apply(lr, seed: 4));
        Assert.NotEqual(first, noise.Apply(lr, seed: 5));
        Assert.Equal(SuperRes.Imaging.ImageFormat.Png, SuperRes.Imaging.ImageFormats.Detect(first));
        using var decoded = TestImage.Decode(first);
        Cv2.MeanStdDev(decoded, out _, out var spread);
        Assert.InRange(spread.Val0, 9.5, 10.5);
    }

    [Fact]
    public void Steps_run_in_order_and_the_last_decides_the_file()
    {
        using var lr = TestData.Read(TestData.Set5Lr("bird", 3));
        var both = Degradation.Parse("blur:1,jpeg:75");
        Assert.True(both.EndsInJpeg);
        Assert.Equal(75, JpegQuality.Read(both.Apply(lr))!.Quality);
        Assert.False(Degradation.Parse("jpeg:75,noise:3").EndsInJpeg);
    }

    [Theory]
    [InlineData("jpeg", "jpeg: give a number after the colon (jpeg:60, noise:5, blur:1).")]
    [InlineData("sharpen:2", "sharpen:2: sharpen is not a degradation; use jpeg:Q, noise:SIGMA or blur:SIGMA.")]
    [InlineData("jpeg:101", "jpeg:101: out of range (jpeg quality 1-100, noise sigma 0-100, blur sigma above 0 up to 20).")]
    [InlineData("jpeg:60.5", "jpeg:60.5: out of range (jpeg quality 1-100, noise sigma 0-100, blur sigma above 0 up to 20).")]
    [InlineData(",", "needs at least one of jpeg:Q, noise:SIGMA, blur:SIGMA.")]
    public void A_spec_that_does_not_parse_says_what_is_wrong(string spec, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Degradation.Parse(spec)).Message);
}
