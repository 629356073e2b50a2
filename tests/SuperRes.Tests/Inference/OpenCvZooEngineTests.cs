using OpenCvSharp;
using OpenCvSharp.DnnSuperres;
using SuperRes.Imaging;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Inference;

/// <summary>Zoo .pb models through the whole SuperRes pipeline give exactly what OpenCV's own dnn_superres gives.</summary>
public class OpenCvZooEngineTests
{
    [Theory]
    [InlineData("FSRCNN_x3.pb", "fsrcnn", 3)]      // Y channel only, bicubic chroma
    [InlineData("FSRCNN-small_x2.pb", "fsrcnn", 2)]
    [InlineData("ESPCN_x4.pb", "espcn", 4)]
    [InlineData("LapSRN_x2.pb", "lapsrn", 2)]
    public async Task Pipeline_output_equals_dnn_superres(string file, string algorithm, int scale)
    {
        var pb = TestData.Zoo(file);
        var input = File.ReadAllBytes(TestData.Set5Lr("butterfly", 4));

        using var sr = new DnnSuperResImpl();
        sr.ReadModel(pb);
        sr.SetModel(algorithm, scale);
        using var image = TestImage.DecodeColour(input);
        using var expected = new Mat();
        sr.Upsample(image, expected);

        var result = await TestModels.Upscaler.UpscaleAsync(input, new UpscaleRequest { Model = pb, Scale = scale, TileSize = 0, Format = ImageFormat.Png });
        using var ours = TestImage.Decode(result.Data);
        Assert.Equal(0, Pixels.MaxAbsDiff(expected, ours));
    }

    [Fact]
    public async Task Tiled_zoo_run_stays_close_to_the_whole_run()
    {
        var input = File.ReadAllBytes(TestData.Set5Lr("baby", 2)); // 256x256
        var pb = TestData.Zoo("FSRCNN_x2.pb");
        var whole = await TestModels.Upscaler.UpscaleAsync(input, new UpscaleRequest { Model = pb, TileSize = 0 });
        var tiled = await TestModels.Upscaler.UpscaleAsync(input, new UpscaleRequest { Model = pb, TileSize = 64 });
        using var a = TestImage.Decode(whole.Data);
        using var b = TestImage.Decode(tiled.Data);
        Assert.True(Pixels.Psnr(a, b) > 45, $"tiled vs whole PSNR {Pixels.Psnr(a, b):F1} dB");
    }

    [Fact]
    public async Task Scale_comes_from_the_file_name_and_a_conflicting_flag_is_refused()
    {
        var input = File.ReadAllBytes(TestData.Set5Lr("bird", 4));
        var result = await TestModels.Upscaler.UpscaleAsync(input, new UpscaleRequest { Model = TestData.Zoo("ESPCN_x3.pb") });
        Assert.Equal(3, result.Scale);
        var e = await Assert.ThrowsAsync<SuperRes.Models.ModelException>(() =>
            TestModels.Upscaler.UpscaleAsync(input, new UpscaleRequest { Model = TestData.Zoo("ESPCN_x3.pb"), Scale = 2 }));
        Assert.Contains("upscales x3, not x2", e.Message);
    }
}
