using System.Collections.Concurrent;
using System.Globalization;
using OpenCvSharp;
using SuperRes.Models;

namespace SuperRes.Inference;

/// <summary>
/// Whether a model's checked int8 copy runs faster than the model itself on this CPU, which is what
/// <see cref="Models.Quantization.Precision.Auto"/> asks. With VNNI (AVX-512 VNNI or AVX-VNNI) it always does: one
/// instruction multiplies and adds four byte pairs. Without AVX2 ONNX Runtime's int8 kernels have nothing to gain on.
/// With AVX2 alone it depends on the model and the machine (int8 was 1.6x on a convolution stack, while OpenCV's fp32
/// Winograd convolutions can be faster still), so the copy and the float model are timed once on a probe tile and
/// the answer is kept beside the copy: a later start reads it instead of timing again.
/// </summary>
public sealed record Int8Speed(bool Vnni, bool Avx2)
{
    /// <summary>This machine's CPU.</summary>
    public static Int8Speed ThisCpu { get; } = new(CpuFeatures.HasVnni, CpuFeatures.HasAvx2);

    /// <summary>What is known without timing: true with VNNI, false without AVX2, else the answer kept beside
    /// <paramref name="int8Path"/> (null before the first timing).</summary>
    public bool? Known(string int8Path) => Vnni ? true : !Avx2 ? false : Read(int8Path);

    /// <summary>Whether <paramref name="int8Path"/> runs faster than <paramref name="fp32"/>'s own file, timed now if not known.</summary>
    public bool Pays(ResolvedModel fp32, string int8Path)
    {
        if (Known(int8Path) is { } known)
        {
            return known;
        }
        // Once per copy in a process, even where the answer cannot be kept (a read-only folder); a new copy is timed again.
        var copy = new FileInfo(int8Path);
        return Timed.GetOrAdd((copy.FullName, copy.Length, copy.LastWriteTimeUtc), _ => new Lazy<bool>(() => TimeAndKeep(fp32, int8Path))).Value;
    }

    private static readonly ConcurrentDictionary<(string, long, DateTime), Lazy<bool>> Timed = new();

    private static bool TimeAndKeep(ResolvedModel fp32, string int8Path)
    {
        var (faster, details) = Measure(fp32, int8Path, Environment.ProcessorCount);
        try
        {
            File.WriteAllLines(PathFor(int8Path), [faster ? Int8 : Fp32, details]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only model folder only costs a timing at the next start.
        }
        return faster;
    }

    /// <summary>Times the int8 copy against the float model on each runtime that can run it (after a warm-up each);
    /// int8 pays when it beats the faster of them.</summary>
    internal static (bool Int8Faster, string Details) Measure(ResolvedModel fp32, string int8Path, int threads)
    {
        int side = EngineFactory.ProbeSide(new FileInfo(fp32.FilePath).Length);
        using var probe = new Mat(side, side, MatType.CV_32FC3);
        Cv2.Randu(probe, Scalar.All(0), Scalar.All(1));
        double? int8 = Seconds(() => new OnnxRuntimeEngine(int8Path, fp32.Contract, threads), probe);
        double? ort = Seconds(() => new OnnxRuntimeEngine(fp32.FilePath, fp32.Contract, threads), probe);
        double? cv = Seconds(() => new OpenCvDnnEngine(fp32.FilePath, fp32.Contract, threads), probe);
        string S(double? s) => s is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) + " s" : "cannot run it";
        var details = $"{side}x{side} probe, {threads} threads: int8 {S(int8)}; fp32 {S(ort)} on ONNX Runtime, {S(cv)} on OpenCV DNN";
        return (int8 < Math.Min(ort ?? double.MaxValue, cv ?? double.MaxValue), details);
    }

    /// <summary>The fastest of three runs after a warm-up (a probe runs in milliseconds, where one run can be off by
    /// half); null when the runtime cannot load or run the file (OpenCV may lack an operator the model uses).</summary>
    private static double? Seconds(Func<ISuperResEngine> create, Mat probe)
    {
        try
        {
            var (engine, seconds, output) = EngineFactory.Time(create, probe, runs: 3);
            engine.Dispose();
            output.Dispose();
            return seconds;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private const string Int8 = "int8", Fp32 = "fp32";

    // Requests resolve their model each time: the kept answer is read once per version of its file.
    private static readonly ConcurrentDictionary<(string, long, DateTime), bool?> Kept = new();

    private static bool? Read(string int8Path)
    {
        var file = new FileInfo(PathFor(int8Path));
        return file.Exists ? Kept.GetOrAdd((file.FullName, file.Length, file.LastWriteTimeUtc), _ => ReadAnswer(file.FullName)) : null;
    }

    private static bool? ReadAnswer(string path)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault()?.Trim() switch
            {
                Int8 => true,
                Fp32 => false,
                _ => null,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // gone or unreadable: timed again
        }
    }

    /// <summary>The file beside the copy that keeps the answer ("int8" or "fp32", then the timings).</summary>
    public static string PathFor(string int8Path) => int8Path + ".speed";
}
