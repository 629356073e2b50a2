using SuperRes.Inference;
using SuperRes.Models;
using SuperRes.Models.Quantization;
using SuperRes.Tests.Support;

namespace SuperRes.Tests.Inference;

/// <summary>Auto's int8 on CPUs without VNNI: the shipped copy and its float model timed once, the answer kept beside the copy.</summary>
public class Int8SpeedTests
{
    private static readonly Int8Speed Avx2Only = new(Vnni: false, Avx2: true);

    /// <summary>The default model's x3 float file and its shipped int8 copy, copied where the test may write beside them.</summary>
    private static async Task<ResolvedModel> DefaultX3In(TempFolder folder)
    {
        var shipped = await TestModels.Upscaler.Models.ResolveAsync(null, 3);
        var floatFile = folder.File("x3.onnx");
        File.Copy(shipped.FilePath, floatFile);
        File.Copy(Int8Copy.PathFor(shipped.FilePath), Int8Copy.PathFor(floatFile));
        return shipped with { FilePath = floatFile };
    }

    [Fact]
    public async Task On_a_cpu_with_avx2_alone_auto_times_the_copy_once_and_keeps_the_answer_beside_it()
    {
        using var folder = new TempFolder();
        var fp32 = await DefaultX3In(folder);
        var copy = Int8Copy.PathFor(fp32.FilePath);
        Assert.Null(Avx2Only.Known(copy));

        var resolved = ModelResolver.WithPrecision(fp32, Precision.Auto, Avx2Only);
        var kept = File.ReadAllLines(Int8Speed.PathFor(copy));
        Assert.Equal(resolved.Precision == Precision.Int8 ? "int8" : "fp32", kept[0]);
        Assert.Contains("probe", kept[1]); // the timings it was decided on, for whoever wonders why
        Assert.Equal(resolved.Precision == Precision.Int8, Avx2Only.Known(copy));

        // Later resolutions read the answer instead of timing: the opposite answer written there is what they follow.
        bool opposite = resolved.Precision != Precision.Int8;
        File.WriteAllLines(Int8Speed.PathFor(copy), [opposite ? "int8" : "fp32"]);
        var again = ModelResolver.WithPrecision(fp32, Precision.Auto, Avx2Only);
        Assert.Equal(opposite ? (copy, Precision.Int8) : (fp32.FilePath, Precision.Fp32), (again.FilePath, again.Precision));
    }

    [Fact]
    public async Task With_vnni_the_copy_runs_untimed_and_without_avx2_it_never_runs_on_auto()
    {
        using var folder = new TempFolder();
        var fp32 = await DefaultX3In(folder);
        var copy = Int8Copy.PathFor(fp32.FilePath);
        Assert.Equal(Precision.Int8, ModelResolver.WithPrecision(fp32, Precision.Auto, new Int8Speed(Vnni: true, Avx2: true)).Precision);
        Assert.Equal(Precision.Fp32, ModelResolver.WithPrecision(fp32, Precision.Auto, new Int8Speed(Vnni: false, Avx2: false)).Precision);
        Assert.False(File.Exists(Int8Speed.PathFor(copy)));
        // Asked for by name, int8 runs whatever the CPU.
        Assert.Equal(Precision.Int8, ModelResolver.WithPrecision(fp32, Precision.Int8, new Int8Speed(Vnni: false, Avx2: false)).Precision);
    }

    [Fact]
    public async Task The_timing_compares_the_copy_with_the_float_model_on_both_runtimes()
    {
        using var folder = new TempFolder();
        var fp32 = await DefaultX3In(folder);
        var (int8Faster, details) = Int8Speed.Measure(fp32, Int8Copy.PathFor(fp32.FilePath), threads: 1);
        Assert.Matches(@"^\d+x\d+ probe, 1 threads: int8 [0-9.]+ s; fp32 [0-9.]+ s on ONNX Runtime, [0-9.]+ s on OpenCV DNN$", details);
        // This machine's answer, checked against the figures it printed.
        var seconds = System.Text.RegularExpressions.Regex.Matches(details, @"([0-9.]+) s").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(seconds[0] < Math.Min(seconds[1], seconds[2]), int8Faster);
    }
}
