using OpenCvSharp;
using SuperRes.Inference;
using SuperRes.Models;
using SuperRes.Models.Onnx;

namespace SuperRes.Training.Tests;

/// <summary>A trained checkpoint exported to ONNX runs in SuperRes exactly as it ran in PyTorch.</summary>
public class ExportTests
{
    [Theory]
    [InlineData("edsr")]
    [InlineData("edsr-rep")] // trained with branches, exported as the one merged 3x3 conv each stands for
    [InlineData("rfdn")]
    public async Task Exported_onnx_run_by_both_engines_matches_pytorch_and_imports_as_a_model(string arch)
    {
        using var folder = new TempFolder();
        var checkpoints = folder.File("run");
        await TrainingRun.RunAsync(TrainingRun.TinyTrainArgs(checkpoints, 20, folder.File("cache"), arch));
        var onnx = folder.File("tiny-x3.onnx");
        var export = await TrainingRun.RunAsync("export", Path.Combine(checkpoints, "last.pt"), "-o", onnx);
        Assert.Contains("MAC per input pixel", export.Stdout);
        Assert.False(OnnxGraphFacts.HasCrdDepthToSpace(onnx), "PixelShuffle is exported in DCR order, which OpenCV always runs right");

        // A real photo crop, odd-sized so nothing lines up by accident.
        var input = folder.File("crop.png");
        using (var photo = TestImage.ReadColour(Path.Combine(TrainingRun.Photos, "Dune.jpg")))
        using (var crop = new Mat(photo, new Rect(400, 300, 45, 37)))
        {
            TestImage.Write(input, crop);
        }
        var referenceFile = folder.File("reference.f32");
        var shape = (await TrainingRun.RunAsync("reference", Path.Combine(checkpoints, "last.pt"), input, "-o", referenceFile)).Stdout.Trim();
        Assert.Equal("1 3 111 135", shape);
        var reference = ReadNchw(referenceFile, 111, 135);

        var model = await new ModelResolver(new ModelStore(folder.File("store"))).ResolveAsync(onnx, null);
        Assert.Equal(3, model.Scale); // from the metadata the exporter wrote
        using var image = TestImage.ReadColour(input);
        using var tile = new Mat();
        image.ConvertTo(tile, MatType.CV_32FC3, 1 / 255.0);
        foreach (var kind in new[] { EngineKind.OnnxRuntime, EngineKind.OpenCvDnn })
        {
            using var engine = EngineFactory.Create(model, kind, 1);
            using var output = engine.Run(tile);
            Assert.Equal(new Size(135, 111), output.Size());
            double worst = MaxAbsDifference(output, reference);
            Assert.True(worst <= 1e-4, $"{kind}: max abs difference to PyTorch {worst:E2}");
        }

        // And through the command line: imported under a name, then used like any model.
        var store = folder.File("store");
        var imported = await CliRun.Start("models", "import", onnx, "--name", "tiny", "--models-dir", store);
        Assert.Equal(0, imported.ExitCode);
        var upscaled = await CliRun.Start("upscale", input, "-o", folder.File("out.png"), "-m", "tiny", "--models-dir", store);
        Assert.True(upscaled.ExitCode == 0, upscaled.Stderr);
        using var written = TestImage.ReadColour(folder.File("out.png"));
        Assert.Equal(new Size(135, 111), written.Size());
    }

    internal static float[,,] ReadNchw(string file, int h, int w)
    {
        var bytes = File.ReadAllBytes(file);
        var values = new float[3, h, w];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    /// <summary>Engine output is BGR HWC; PyTorch's is RGB CHW.</summary>
    internal static double MaxAbsDifference(Mat bgr, float[,,] rgb)
    {
        double worst = 0;
        int rows = bgr.Rows, cols = bgr.Cols;
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < cols; x++)
            {
                var v = bgr.At<Vec3f>(y, x);
                for (int c = 0; c < 3; c++)
                {
                    worst = Math.Max(worst, Math.Abs(v[c] - rgb[2 - c, y, x]));
                }
            }
        }

        return worst;
    }
}
