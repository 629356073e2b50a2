using SuperRes.Imaging;
using SuperRes.Quality;
using SuperRes.Restoration;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Restoration;

public class RestoreTests
{
    [Theory]
    [InlineData(null, "auto")]
    [InlineData("auto", "auto")]
    [InlineData(" AUTO ", "auto")]
    [InlineData("0", "0.0")]
    [InlineData("1", "1.0")]
    [InlineData("0.44", "0.4")]
    [InlineData("0.45", "0.5")]
    public void Restore_takes_auto_or_a_strength_kept_to_tenths(string? text, string expected)
    {
        var restore = Restore.Parse(text, out var error);
        Assert.Null(error);
        Assert.Equal(expected, restore.ToString());
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("strong")]
    [InlineData("NaN")]
    public void Anything_else_is_refused_with_what_is_expected(string text)
    {
        Assert.Null(Restore.Parse(text, out var error));
        Assert.Equal($"restore must be \"auto\" or a number from 0 (none) to 1 (full), not \"{text}\".", error);
    }

    [Fact]
    public void Auto_takes_the_larger_of_what_the_jpeg_quality_and_the_noise_ask_for()
    {
        var clean = RestoreStrength.Choose(null, 0.3, 3);
        Assert.Equal(0, clean.Strength);
        Assert.Equal("noise 0.3", clean.Basis);
        Assert.True(clean.Auto);

        var heavy = RestoreStrength.Choose(new JpegQuality(40, true), 0.2, 3);
        Assert.Equal(0.9, heavy.Strength); // quality 40 and below: the point of JPEG 75 and lower (bench/restore/strength-by-quality-x3.csv)
        Assert.Equal("JPEG quality 40", heavy.Basis);

        var light = RestoreStrength.Choose(new JpegQuality(97, true), 0.2, 3);
        Assert.True(light.Strength < heavy.Strength);
        var noisyLight = RestoreStrength.Choose(new JpegQuality(97, false), 9, 3);
        Assert.Equal(1, noisyLight.Strength);
        Assert.Equal("JPEG quality ~97, noise 9.0", noisyLight.Basis);
        Assert.Equal("1.0 (auto: JPEG quality ~97, noise 9.0)", noisyLight.ToString());
    }

    [Theory]
    [InlineData(2, 0.9)]
    [InlineData(3, 0.9)]
    [InlineData(4, 0.8)] // x4's restoring model restores least: its points are lower
    public void Each_scale_has_its_own_measured_strength_for_a_jpeg(int scale, double atQuality75)
    {
        Assert.Equal(atQuality75, RestoreStrength.Choose(new JpegQuality(75, true), 0, scale).Strength);
        // Below 75 every scale's point holds (soft pictures under heavy JPEG want at least as much).
        Assert.Equal(atQuality75, RestoreStrength.Choose(new JpegQuality(30, true), 0, scale).Strength);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Stronger_damage_never_gets_a_weaker_strength(int scale)
    {
        double previous = 1;
        for (int quality = 1; quality <= 100; quality++)
        {
            double s = RestoreStrength.Choose(new JpegQuality(quality, true), 0, scale).Strength;
            Assert.True(s <= previous, $"quality {quality}: {s} after {previous}");
            previous = s;
        }
        previous = 0;
        for (double sigma = 0; sigma <= 20; sigma += 0.25)
        {
            double s = RestoreStrength.Choose(null, sigma, scale).Strength;
            Assert.True(s >= previous, $"noise {sigma}: {s} after {previous}");
            previous = s;
        }
    }

    [Theory]
    [InlineData("Set5")]
    [InlineData("Set14")]
    public void Auto_leaves_clean_protocol_pictures_alone_and_restores_the_same_pictures_when_noisy(string dataset)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(TestData.Shared, "datasets", dataset, "LR_bicubic", "X3")))
        {
            var clean = File.ReadAllBytes(file);
            using (var decoded = ImageDecoder.Decode(clean))
            {
                var choice = RestoreStrength.Choose(clean, decoded, 3);
                Assert.True(choice.Strength == 0, $"{Path.GetFileName(file)}: {choice}");
            }
            using var lr = TestData.Read(file);
            var noisy = Degradation.Parse("noise:15").Apply(lr, seed: 1);
            using (var decoded = ImageDecoder.Decode(noisy))
            {
                var choice = RestoreStrength.Choose(noisy, decoded, 3);
                Assert.True(choice.Strength > 0, $"{Path.GetFileName(file)} with noise sigma 15: {choice}");
            }
        }
    }
}
