using OpenCvSharp;
using SuperRes.Inference;
using SuperRes.Models;
using SuperRes.Models.Onnx;
using SuperRes.Models.Tools.Onnx;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Inference;

/// <summary>ONNX Runtime and OpenCV DNN run the same converted model to the same result, and Auto picks one of them.</summary>
public class OnnxEnginesTests
{
    [Theory]
    [InlineData("esrgan-thick", 3)]
    [InlineData("esrgan-slim", 2)]
    [InlineData("superres-edsr", 2)]
    [InlineData("superres-edsr", 3)]
    [InlineData("superres-edsr", 4)]
    public async Task Both_runtimes_agree_even_after_a_zoo_model_has_run(string model, int scale)
    {
        // A zoo model changes OpenCV's process-wide layer registry (dnn_superres's DepthToSpace): run one
        // first, so the comparison holds in the state a long-running server is in.
        RunZooModelOnce();
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
    public async Task A_cancelled_call_is_stopped_by_the_runtime_and_the_next_call_runs()
    {
        var resolved = await TestModels.Upscaler.Models.ResolveAsync("superres-edsr", 2);
        using var lr = TestData.Read(TestData.Set5Lr("head", 4));
        using var tile = new Mat();
        lr.ConvertTo(tile, MatType.CV_32FC3, 1 / 255.0);
        using var ort = new OnnxRuntimeEngine(resolved.FilePath, resolved.Contract, threads: 2);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // The engine does not check the token itself: ONNX Runtime's terminate flag stops the run (a running one
        // between operators), and the engine says so as a cancellation, not as a runtime error.
        Assert.ThrowsAny<OperationCanceledException>(() => ort.Run(tile, cancelled.Token).Dispose());
        using var output = ort.Run(tile); // the flag belonged to that call only
        Assert.Equal(new Size(lr.Cols * 2, lr.Rows * 2), output.Size());
    }

    [Fact]
    public void Auto_keeps_graphs_with_a_crd_depth_to_space_on_onnx_runtime()
    {
        // PixelShuffle as PyTorch exports it: a conv to 3*s*s channels, then DepthToSpace in CRD order.
        using var temp = new TempFolder();
        var path = temp.File("crd_x2.onnx");
        var g = new OnnxGraphBuilder("crd");
        var input = g.AddImageInput("input", 3);
        var weights = Enumerable.Range(0, 12 * 3).Select(i => (i % 7) / 7f - 0.4f).ToArray();
        var w = g.AddInitializer("w", weights, 12, 3, 1, 1);
        var conv = g.AddNode("Conv", [input, w], "features", "conv");
        g.AddNode("DepthToSpace", [conv], "output", "shuffle", OnnxGraphBuilder.Int("blocksize", 2), OnnxGraphBuilder.Text("mode", "CRD"));
        g.AddImageOutput("output", 3);
        g.Save(path);
        var model = new ResolvedModel("crd", ModelKind.Onnx, path, 2, new ModelContract(2, ChannelOrder.Rgb, 1f), null);

        Assert.True(OnnxGraphFacts.HasCrdDepthToSpace(path));
        Assert.Equal(EngineKind.OnnxRuntime, EngineFactory.Resolve(model, EngineKind.Auto, threads: 1));
        Assert.False(File.Exists(path + ".engine")); // decided from the graph, nothing timed
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

    private static void RunZooModelOnce()
    {
        using var zoo = new OpenCvZooEngine(TestData.Zoo("ESPCN_x3.pb"), "espcn", 3);
        using var tile = new Mat(8, 8, MatType.CV_32FC3, Scalar.All(0.5));
        zoo.Run(tile).Dispose();
    }
}
