using OpenCvSharp;

namespace SuperRes.Cli.Tests;

/// <summary><c>superres models quantize</c> and <c>--precision</c> as a user runs them.</summary>
public class QuantizeCommandTests
{
    [Fact]
    public async Task A_quantized_copy_is_written_beside_the_model_and_upscale_runs_it_with_precision_int8()
    {
        using var temp = new TempFolder();
        var model = temp.File("mine.onnx");
        File.Copy(Path.Combine(TestPaths.ModelStore, "superres-edsr", "x3.onnx"), model);

        var quantize = await CliRun.Start(["models", "quantize", model]);
        Assert.True(quantize.ExitCode == 0, quantize.Stdout + quantize.Stderr);
        Assert.Contains("accepted", quantize.Stdout);
        Assert.Contains($"wrote {temp.File("mine.int8.onnx")}", quantize.Stdout);

        foreach (var precision in new[] { "int8", "fp32" })
        {
            var output = temp.File($"bird-{precision}.png");
            var run = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 3), "-o", output, "-m", model, "--precision", precision]);
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Contains($"OnnxRuntime, {precision} (", run.Stderr.Replace("OpenCvDnn", "OnnxRuntime"));
            using var image = TestImage.ReadColour(output);
            Assert.Equal(new Size(288, 288), image.Size());
        }
    }

    [Fact]
    public async Task Int8_without_a_checked_copy_fails_in_one_line_that_says_how_to_make_one()
    {
        using var temp = new TempFolder();
        var model = temp.File("plain.onnx");
        File.Copy(Path.Combine(TestPaths.ModelStore, "superres-edsr", "x3.onnx"), model);

        var run = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 3), "-o", temp.File("out.png"), "-m", model, "--precision", "int8"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"superres models quantize {model}", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task A_precision_the_service_does_not_know_stops_serve_in_one_line()
    {
        var run = await CliRun.Start(["serve", "--precision", "esrgan-thick=int4"]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--precision takes auto, fp32 or int8", Assert.Single(run.StderrLines));
    }
}
