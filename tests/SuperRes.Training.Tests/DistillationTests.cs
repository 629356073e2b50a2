using System.Globalization;
using System.Text.RegularExpressions;
using OpenCvSharp;
using SuperRes.Inference;
using SuperRes.Models;

namespace SuperRes.Training.Tests;

/// <summary>Distillation from an ONNX teacher (CARN-M in ../shared): the teacher runs in PyTorch as it runs in SuperRes, and a tiny run learns.</summary>
public class DistillationTests
{
    private static string Teacher => Path.Combine(TestPaths.Shared, "models", "teachers", "CARN-M_x3.onnx");

    [Theory]
    [InlineData(null)]
    [InlineData(32)] // 3x3 tiles with overlapping margins, as training's whole-picture targets are made
    public async Task The_teacher_runs_in_pytorch_as_onnx_runtime_runs_it(int? tile)
    {
        using var folder = new TempFolder();
        var input = TestPaths.Set5Lr("butterfly", 3); // 85x85
        var output = folder.File("teacher.f32");
        string[] tiling = tile is int size ? ["--tile", size.ToString(CultureInfo.InvariantCulture)] : [];
        var shape = (await TrainingRun.RunAsync(["teacher-reference", Teacher, input, "-o", output, .. tiling])).Stdout.Trim();
        Assert.Equal("3 255 255", shape);
        var reference = ExportTests.ReadNchw(output, 255, 255);

        var model = await new ModelResolver(new ModelStore(folder.File("store"))).ResolveAsync(Teacher, null);
        using var image = TestImage.ReadColour(input);
        using var whole = new Mat();
        image.ConvertTo(whole, MatType.CV_32FC3, 1 / 255.0);
        using var engine = EngineFactory.Create(model, EngineKind.OnnxRuntime, 1);
        using var ort = engine.Run(whole);
        double worst = ExportTests.MaxAbsDifference(ort, reference);
        Assert.True(worst <= 1e-4, $"max abs difference to ONNX Runtime {worst:E2}");
    }

    [Fact]
    public async Task A_tiny_distillation_run_lowers_its_loss_and_a_resumed_run_reuses_the_teacher_targets()
    {
        using var folder = new TempFolder();
        var checkpoints = folder.File("run");
        // Every photo at two downscales, each with its own teacher picture.
        string[] distill = ["--teacher", Teacher, "--teacher-weight", "0.5", "--hr-scale", "0.5", "0.35"];
        var run = await TrainingRun.RunAsync([.. TrainingRun.TinyTrainArgs(checkpoints, 40, folder.File("cache")), .. distill]);
        Assert.Contains("distilling from CARN-M_x3.onnx", run.Stdout);
        int photos = int.Parse(Regex.Match(run.Stdout, @"(\d+) for training, \d+ for validation").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Contains($"{2 * photos} for training (downscale 0.5, 0.35)", run.Stdout);
        Assert.Contains($"teacher targets: 0 of {2 * photos} pictures cached", run.Stdout);
        var rows = TrainingRun.ReadProgress(checkpoints);
        double Loss(int i) => double.Parse(rows[i]["loss"], CultureInfo.InvariantCulture);
        double early = (Loss(0) + Loss(1)) / 2, late = (Loss(rows.Count - 1) + Loss(rows.Count - 2)) / 2;
        Assert.True(late < early * 0.7, $"loss fell from {early:0.0000} to {late:0.0000}");
        var summary = File.ReadAllText(Path.Combine(checkpoints, "summary.json"));
        Assert.Contains("\"teacher\": \"CARN-M_x3.onnx\"", summary); // the run names its teacher, never this machine's path
        Assert.DoesNotContain(TestPaths.Shared, summary);

        // The teacher ran once per whole picture; a resumed run reads its pictures back instead of running it again.
        var resumed = await TrainingRun.RunAsync([.. TrainingRun.TinyTrainArgs(checkpoints, 45, folder.File("cache")), .. distill, "--resume"]);
        Assert.Matches(@"teacher targets: (\d+) of \1 pictures cached", resumed.Stdout);
        Assert.Contains("resumed from", resumed.Stdout);
    }

    [Fact]
    public async Task Teacher_targets_made_through_superres_are_the_ones_a_distillation_run_reads()
    {
        using var folder = new TempFolder();
        var cache = folder.File("cache");
        string[] downscales = ["--hr-scale", "0.5", "0.35"];
        // A run without a teacher leaves the pictures' bicubic pairs in the cache.
        await TrainingRun.RunAsync([.. TrainingRun.TinyTrainArgs(folder.File("plain"), 5, cache), .. downscales]);

        var made = await TrainingRun.RunAsync(["teacher-targets", Teacher, "--checkpoint-dir", folder.File("plain"), "--cache-dir", cache]);
        Assert.Matches(@"teacher targets: [1-9]\d* to make through ", made.Stdout);

        var run = await TrainingRun.RunAsync([.. TrainingRun.TinyTrainArgs(folder.File("distilled"), 5, cache), .. downscales,
            "--teacher", Teacher, "--teacher-weight", "0.5"]);
        Assert.Matches(@"teacher targets: (\d+) of \1 pictures cached", run.Stdout);
    }
}
