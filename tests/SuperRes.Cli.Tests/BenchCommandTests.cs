using System.Text.Json;

namespace SuperRes.Cli.Tests;

public class BenchCommandTests
{
    [Fact]
    public async Task Quality_bench_gives_the_published_bicubic_figure_on_Set5()
    {
        var run = await CliRun.Start(["bench", "quality", "--dataset", Path.Combine(TestPaths.Shared, "datasets", "Set5"), "-s", "3", "-m", "bicubic", "--json"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(5, json.RootElement.GetProperty("images").GetArrayLength());
        Assert.InRange(json.RootElement.GetProperty("meanPsnr").GetDouble(), 30.39, 30.42);
        Assert.InRange(json.RootElement.GetProperty("meanSsim").GetDouble(), 0.85, 0.90);
    }

    [Fact]
    public async Task Quality_bench_scores_damaged_inputs_and_says_what_auto_chose_for_each()
    {
        string set5 = Path.Combine(TestPaths.Shared, "datasets", "Set5");
        var bicubic = await CliRun.Start(["bench", "quality", "--dataset", set5, "-s", "3", "-m", "bicubic", "--degrade", "jpeg:40", "--json"]);
        Assert.True(bicubic.ExitCode == 0, bicubic.Stderr);
        using var damaged = JsonDocument.Parse(bicubic.Stdout);
        Assert.Equal("jpeg:40", damaged.RootElement.GetProperty("degrade").GetString());
        Assert.InRange(damaged.RootElement.GetProperty("meanPsnr").GetDouble(), 26, 30.2); // below the clean 30.41

        var auto = await CliRun.Start(["bench", "quality", "--dataset", set5, "-s", "3", "--degrade", "jpeg:40", "--json"]);
        Assert.True(auto.ExitCode == 0, auto.Stderr);
        using var json = JsonDocument.Parse(auto.Stdout);
        Assert.Equal("auto", json.RootElement.GetProperty("restore").GetString());
        Assert.All(json.RootElement.GetProperty("images").EnumerateArray(),
            image => Assert.Contains("(auto: JPEG quality 40", image.GetProperty("restore").GetString()));
        Assert.True(json.RootElement.GetProperty("meanPsnr").GetDouble() > damaged.RootElement.GetProperty("meanPsnr").GetDouble() + 0.5);

        var wrong = await CliRun.Start(["bench", "quality", "--dataset", set5, "--degrade", "jpeg:0"]);
        Assert.Equal(2, wrong.ExitCode);
        Assert.StartsWith("superres: --degrade jpeg:0: out of range (jpeg quality 1-100, noise sigma 0-100, blur sigma above 0 up to 20).", wrong.StderrLines.Single());
    }

    [Fact]
    public async Task Quality_bench_table_lists_every_image_and_the_mean()
    {
        var run = await CliRun.Start(["bench", "quality", "--dataset", Path.Combine(TestPaths.Shared, "datasets", "Set5"), "-s", "4", "-m", "esrgan-slim"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (var name in new[] { "baby", "bird", "butterfly", "head", "woman", "mean" })
        {
            Assert.Contains(name, run.Stdout);
        }
    }

    [Fact]
    public async Task Speed_bench_reports_load_latency_throughput_and_gflops()
    {
        var run = await CliRun.Start(["bench", "speed", "-m", "esrgan-slim", "-s", "2", "--sizes", "32,48", "--concurrency", "1,2", "--repeats", "2", "--json"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("loadSeconds").GetDouble() > 0);
        Assert.True(root.GetProperty("macsPerInputPixel").GetInt64() > 10_000);
        Assert.Equal(2, root.GetProperty("latency").GetArrayLength());
        Assert.All(root.GetProperty("latency").EnumerateArray(), l => Assert.True(l.GetProperty("gigaflopsPerSecond").GetDouble() > 0));
        Assert.Equal(2, root.GetProperty("throughput").GetArrayLength());
        Assert.True(root.GetProperty("peakMemoryMb").GetInt64() > 0);
    }

    [Fact]
    public async Task Edsr_benchmark_model_has_the_recipe_shape()
    {
        using var temp = new TempFolder();
        var run = await CliRun.Start(["bench", "edsr-model", "-o", temp.File("edsr.onnx"), "--blocks", "2", "--filters", "16"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("EDSR 2 blocks x 16 filters, x3", run.Stdout);
        var up = await CliRun.Start(["upscale", TestPaths.Set5Lr("bird", 4), "-o", temp.File("out.png"), "-m", temp.File("edsr.onnx")]);
        Assert.True(up.ExitCode == 0, up.Stderr);
        Assert.Contains("Model edsr x3", up.Stderr);
    }
}
