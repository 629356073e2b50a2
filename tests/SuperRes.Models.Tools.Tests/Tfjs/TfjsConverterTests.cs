using System.Diagnostics;
using System.Runtime.InteropServices;
using OpenCvSharp;
using SuperRes.Inference;
using SuperRes.Models;
using SuperRes.Models.Tools.Tfjs;
using SuperRes.Tests.Support;

namespace SuperRes.Models.Tools.Tests.Tfjs;

/// <summary>
/// The converter is exact: the converted ONNX model run by SuperRes matches the original run by
/// TensorFlow.js itself (node, tests/tfjs-reference) on a real image crop.
/// </summary>
public class TfjsConverterTests
{
    private static string ReferenceDir => Path.Combine(TestData.RepoRoot, "tests", "tfjs-reference");

    [Theory]
    [InlineData("esrgan-thick", 3, 1f)]
    [InlineData("esrgan-thick", 2, 1f)]
    [InlineData("esrgan-slim", 4, 255f)] // the range the package declares for its RDN models
    [InlineData("esrgan-medium", 3, 1f)] // the range SuperRes feeds it (see ModelCatalog)
    public async Task Converted_model_matches_tensorflow_js(string model, int scale, float range)
    {
        using var temp = new TempFolder();
        var package = $"@upscalerjs/{model}";
        var modelJson = Path.Combine(ReferenceDir, "node_modules", "@upscalerjs", model, "models", $"x{scale}", "model.json");
        Assert.True(File.Exists(modelJson), $"{modelJson} is missing: run 'npm ci' in tests/tfjs-reference (scripts/test does).");

        // A 20x18 crop of a real image, RGB in [0, 1].
        using var bird = TestData.Read(TestData.Set5Lr("bird", 4));
        using var crop = new Mat(bird, new Rect(30, 20, 20, 18));
        using var tile = new Mat();
        crop.ConvertTo(tile, MatType.CV_32FC3, 1 / 255.0);

        var onnx = temp.File("model.onnx");
        var contract = TfjsLayersConverter.Convert(modelJson, onnx, range);
        Assert.Equal(scale, contract.Scale);
        using var engine = new OnnxRuntimeEngine(onnx, contract, threads: 2);
        using var ours = engine.Run(tile);

        var reference = await RunTensorflowJs(package, scale, tile, range, temp);
        Assert.Equal(tile.Rows * scale * tile.Cols * scale * 3, reference.Length);
        double maxDiff = 0;
        int w = ours.Cols, rows = ours.Rows;
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < w; x++)
            {
                var bgr = ours.At<Vec3f>(y, x);
                int o = (y * w + x) * 3;
                maxDiff = Math.Max(maxDiff, Math.Abs(bgr.Item2 - reference[o] / range));
                maxDiff = Math.Max(maxDiff, Math.Abs(bgr.Item1 - reference[o + 1] / range));
                maxDiff = Math.Max(maxDiff, Math.Abs(bgr.Item0 - reference[o + 2] / range));
            }
        }

        Assert.True(maxDiff <= 1e-3, $"{model} x{scale}: max abs difference {maxDiff:E2} (in [0, 1] units)");
    }

    private static async Task<float[]> RunTensorflowJs(string package, int scale, Mat tile, float range, TempFolder temp)
    {
        int h = tile.Rows, w = tile.Cols;
        var nhwc = new float[h * w * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                var bgr = tile.At<Vec3f>(y, x);
                int o = (y * w + x) * 3;
                (nhwc[o], nhwc[o + 1], nhwc[o + 2]) = (bgr.Item2 * range, bgr.Item1 * range, bgr.Item0 * range);
            }
        }

        var input = temp.File("input.f32");
        var output = temp.File("output.f32");
        await File.WriteAllBytesAsync(input, MemoryMarshal.AsBytes(nhwc.AsSpan()).ToArray());

        var psi = new ProcessStartInfo("node") { WorkingDirectory = ReferenceDir, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "run-model.js", package, scale.ToString(), input, h.ToString(), w.ToString(), output })
        {
            psi.ArgumentList.Add(a);
        }
        using var node = Process.Start(psi)!;
        var stderr = node.StandardError.ReadToEndAsync();
        await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, "TensorFlow.js reference failed: " + await stderr);
        return MemoryMarshal.Cast<byte, float>(await File.ReadAllBytesAsync(output)).ToArray();
    }
}
