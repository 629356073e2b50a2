using SuperRes.Tests.Support;

namespace SuperRes.Tests.Quality;

/// <summary>Set5 x3 under the SR protocol: the converted models must land where their published reference runs landed.</summary>
public class Set5ModelQualityTests
{
    [Fact]
    public async Task Default_model_reaches_its_reference_PSNR_at_x3()
    {
        double psnr = await Set5Bench.MeanPsnr(null, 3, tile: 128);
        Assert.True(psnr >= 31.7, $"esrgan-thick Set5 x3: {psnr:F3} dB");
        Assert.InRange(psnr, 31.78 - 0.05, 31.78 + 0.05);
    }

    [Theory]
    [InlineData("esrgan-slim", 30.98)]
    [InlineData("esrgan-medium", 31.14)]
    public async Task Other_catalog_models_reach_their_reference_PSNR_at_x3(string model, double reference)
    {
        double psnr = await Set5Bench.MeanPsnr(model, 3, tile: 128);
        Assert.InRange(psnr, reference - 0.05, reference + 0.05);
    }

    [Fact]
    public async Task Opencv_zoo_fsrcnn_beats_bicubic_at_x3()
    {
        double psnr = await Set5Bench.MeanPsnr(TestData.Zoo("FSRCNN_x3.pb"), 3, tile: 0);
        Assert.InRange(psnr, 30.45, 31.5); // bicubic is 30.40; the zoo FSRCNN is a weak model (about 30.6)
    }
}
