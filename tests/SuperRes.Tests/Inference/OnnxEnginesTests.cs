using OpenCvSharp;
using SuperRes.Inference;
using SuperRes.Models;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Inference;

/// <summary>ONNX Runtime and OpenCV DNN run the same converted model to the same result, and Auto picks one of them.</summary>
public class OnnxEnginesTests
{
    [Theory]
    [InlineData("esrgan-thick", 3)]
    [InlineData("esrgan-slim", 2)]
    public async Task Both_runtimes_agree(string model, int scale)
    {
        var resolved = await TestModels.Upscaler.Models.ResolveAsync(model, scale);
        using var lr = TestData.Read(TestData.Set5Lr("head", 4));
        using var crop = new Mat(lr, new Rect(10, 10, 40, 32));
        using var tile = new Mat();
        crop.ConvertTo(tile, MatType.CV_32FC3, 1 / 255.0);

        using var ort = new OnnxRuntimeEngine(resolved.FilePath, resolved.Contract, threads: 2);
        using var cv = new OpenCvDnnEngine(resolved.FilePath, resolved.Contract);
        using var a = ort.Run(tile);
        using var b = cv.Run(tile);
        Assert.Equal(new Size(40 * scale, 32 * scale), a.Size());
        Assert.True(Pixels.MaxAbsDiff(a, b) <= 1e-3, $"max diff {Pixels.MaxAbsDiff(a, b):E2}");
    }

    [Fact]
    public async Task Auto_engine_choice_is_measured_once_and_remembered_beside_the_model()
    {
        var resolved = await TestModels.Upscaler.Models.ResolveAsync("esrgan-slim", 4);
        var kind = EngineFactory.Resolve(resolved, EngineKind.Auto, threads: 1);
        Assert.NotEqual(EngineKind.Auto, kind);
        var remembered = File.ReadAllLines(resolved.FilePath + ".engine");
        Assert.Contains($"1={kind}", remembered);
    }

    [Fact]
    public async Task Explicit_engines_are_honoured()
    {
        var input = File.ReadAllBytes(TestData.Set5Lr("bird", 4));
        foreach (var kind in new[] { EngineKind.OnnxRuntime, EngineKind.OpenCvDnn })
        {
            using var upscaler = new Upscaler(new UpscalerOptions { ModelStore = TestModels.StoreRoot, Engine = kind });
            var result = await upscaler.UpscaleAsync(input, new UpscaleRequest { Model = "esrgan-slim", Scale = 2 });
            Assert.Equal(kind, result.Engine);
        }
    }
}
