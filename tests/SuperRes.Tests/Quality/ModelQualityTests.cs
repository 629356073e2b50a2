using SuperRes.Models;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Quality;

/// <summary>Set5 and Set14 under the SR protocol: every catalog model lands on its recorded figure, and our own beats the best pretrained one.</summary>
public class ModelQualityTests
{
    // Our own model, as trained by training/recipes/superres-edsr.sh (models/README.md), against the best
    // pretrained model: the bar is +0.5 dB at a tenth of the cost.
    [Theory]
    [InlineData(2, 37.49, 33.95)]
    [InlineData(3, 33.92, 31.78)]
    [InlineData(4, 31.57, 29.94)]
    public async Task Default_model_reaches_its_recorded_PSNR_and_beats_esrgan_thick_by_half_a_dB(int scale, double recorded, double thick)
    {
        double psnr = await ProtocolBench.MeanPsnr(null, scale, tile: 128);
        var engine = TestModels.Upscaler.Loaded.Single(m => m.Model.Name == "superres-edsr" && m.Model.Scale == scale && (m.Model.Restore ?? 0) == 0).Engine;
        Assert.True(Math.Abs(psnr - recorded) <= 0.05, $"superres-edsr Set5 x{scale} on {engine}: {psnr:F3} dB, recorded {recorded}");
        Assert.True(psnr >= thick + 0.5, $"superres-edsr Set5 x{scale}: {psnr:F3} dB, esrgan-thick {thick}");
    }

    [Theory]
    [InlineData(2, 32.94, 30.48)]
    [InlineData(3, 29.91, 28.58)]
    [InlineData(4, 28.13, 27.07)]
    public async Task Default_model_beats_esrgan_thick_by_half_a_dB_on_Set14_too(int scale, double recorded, double thick)
    {
        double psnr = await ProtocolBench.MeanPsnr(null, scale, tile: 128, dataset: "Set14");
        Assert.True(Math.Abs(psnr - recorded) <= 0.05, $"superres-edsr Set14 x{scale}: {psnr:F3} dB, recorded {recorded}");
        Assert.True(psnr >= thick + 0.5, $"superres-edsr Set14 x{scale}: {psnr:F3} dB, esrgan-thick {thick}");
    }

    [Theory]
    [InlineData("superres-edsr")]
    [InlineData("esrgan-thick")]
    [InlineData("esrgan-slim")]
    [InlineData("esrgan-medium")]
    public async Task Catalog_quality_figures_are_what_the_models_measure_at_x3(string model)
    {
        var recorded = ModelCatalog.Find(model)!.Set5PsnrX3!.Value;
        double psnr = await ProtocolBench.MeanPsnr(model == ModelCatalog.DefaultModel ? null : model, 3, tile: 128);
        Assert.True(Math.Abs(psnr - recorded) <= 0.05, $"{model} Set5 x3: {psnr:F3} dB, the catalog says {recorded}");
    }

    [Fact]
    public async Task Opencv_zoo_fsrcnn_beats_bicubic_at_x3()
    {
        double psnr = await ProtocolBench.MeanPsnr(TestData.Zoo("FSRCNN_x3.pb"), 3, tile: 0);
        Assert.InRange(psnr, 30.45, 31.5); // bicubic is 30.40; the zoo FSRCNN is a weak model (about 30.6)
    }
}
