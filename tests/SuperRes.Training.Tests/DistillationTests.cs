using System.Globalization;
using OpenCvSharp;
using SuperRes.Inference;
using SuperRes.Models;

namespace SuperRes.Training.Tests;

/// <summary>Distillation from an ONNX teacher (CARN-M in ../shared): the teacher runs in PyTorch as it runs in SuperRes, and a tiny run learns.</summary>
public class DistillationTests
{
    private static string Teacher => Path.Combine(TestPaths.Shared, "models", "teachers", "CARN-M_x3.onnx");

    [Fact]
    public async Task The_teacher_runs_in_pytorch_as_onnx_runtime_runs_it()
    {
        using var folder = new TempFolder();
        var input = TestPaths.Set5Lr("butterfly", 3); // 85x85
        var output = folder.File("teacher.f32");
        var shape = (await TrainingRun.RunAsync("teacher-reference", Teacher, input, "-o", output)).Stdout.Trim();
        Assert.Equal("3 255 255", shape);
        var reference = ExportTests.ReadNchw(output, 255, 255);

        var model = await new ModelResolver(new ModelStore(folder.File("store"))).ResolveAsync(Teacher, null);
        using var image = Cv2.ImRead(input);
        using var tile = new Mat();
        image.ConvertTo(tile, MatType.CV_32FC3, 1 / 255.0);
        using var engine = EngineFactory.Create(model, EngineKind.OnnxRuntime, 1);
        using var ort = engine.Run(tile);
        double worst = ExportTests.MaxAbsDifference(ort, reference);
        Assert.True(worst <= 1e-4, $"max abs difference to ONNX Runtime {worst:E2}");
    }

    [Fact]
    public async Task A_tiny_distillation_run_lowers_its_loss()
    {
        using var folder = new TempFolder();
        var checkpoints = folder.File("run");
        var run = await TrainingRun.RunAsync([.. TrainingRun.TinyTrainArgs(checkpoints, 40, folder.File("cache")), "--teacher", Teacher, "--teacher-weight", "0.5"]);
        Assert.Contains("distilling from CARN-M_x3.onnx", run.Stdout);
        var rows = TrainingRun.ReadProgress(checkpoints);
        double Loss(int i) => double.Parse(rows[i]["loss"], CultureInfo.InvariantCulture);
        double early = (Loss(0) + Loss(1)) / 2, late = (Loss(rows.Count - 1) + Loss(rows.Count - 2)) / 2;
        Assert.True(late < early * 0.7, $"loss fell from {early:0.0000} to {late:0.0000}");
        var summary = File.ReadAllText(Path.Combine(checkpoints, "summary.json"));
        Assert.Contains("\"teacher\": \"CARN-M_x3.onnx\"", summary); // the run names its teacher, never this machine's path
        Assert.DoesNotContain(TestPaths.Shared, summary);
    }
}
