using System.Collections.Concurrent;
using System.Diagnostics;
using OpenCvSharp;
using SuperRes.Models;

namespace SuperRes.Inference;

/// <summary>Creates engines for a resolved model and, for <see cref="EngineKind.Auto"/>, picks the faster runtime once per model file.</summary>
public static class EngineFactory
{
    private static readonly ConcurrentDictionary<string, EngineKind> Choices = new();

    public static ISuperResEngine Create(ResolvedModel model, EngineKind kind, int threads) => model.Kind switch
    {
        ModelKind.OpenCvZoo when kind == EngineKind.OnnxRuntime =>
            throw new ModelException($"{Path.GetFileName(model.FilePath)} is a TensorFlow graph that only OpenCV DNN runs; drop --engine onnxruntime."),
        ModelKind.OpenCvZoo => new OpenCvZooEngine(model.FilePath, model.Algorithm!, model.Scale),
        _ => Resolve(model, kind, threads) == EngineKind.OpenCvDnn
            ? new OpenCvDnnEngine(model.FilePath, model.Contract)
            : new OnnxRuntimeEngine(model.FilePath, model.Contract, threads),
    };

    /// <summary>The runtime that will run <paramref name="model"/>: the one asked for, or for Auto the faster on a probe tile.</summary>
    public static EngineKind Resolve(ResolvedModel model, EngineKind kind, int threads)
    {
        if (model.Kind == ModelKind.OpenCvZoo)
        {
            return EngineKind.OpenCvDnn;
        }
        if (kind != EngineKind.Auto)
        {
            return kind;
        }
        return Choices.GetOrAdd($"{model.Key}|{threads}", _ => EngineChoiceFile.Read(model.FilePath, threads) ?? Remember(model, threads));
    }

    private static EngineKind Remember(ResolvedModel model, int threads)
    {
        var kind = Measure(model, threads);
        EngineChoiceFile.Write(model.FilePath, threads, kind);
        return kind;
    }

    private static EngineKind Measure(ResolvedModel model, int threads)
    {
        // A 64x64 tile is small enough to time quickly and large enough to show each runtime's per-pixel cost.
        using var probe = new Mat(64, 64, MatType.CV_32FC3);
        Cv2.Randu(probe, Scalar.All(0), Scalar.All(1));
        double ort = Time(() => new OnnxRuntimeEngine(model.FilePath, model.Contract, threads), probe);
        double cv = Time(() => new OpenCvDnnEngine(model.FilePath, model.Contract), probe, swallowErrors: true);
        return cv < ort ? EngineKind.OpenCvDnn : EngineKind.OnnxRuntime;
    }

    private static double Time(Func<ISuperResEngine> create, Mat probe, bool swallowErrors = false)
    {
        try
        {
            using var engine = create();
            engine.Run(probe).Dispose(); // warm-up: first runs allocate and pick kernels
            var sw = Stopwatch.StartNew();
            engine.Run(probe).Dispose();
            return sw.Elapsed.TotalSeconds;
        }
        catch (Exception) when (swallowErrors)
        {
            return double.PositiveInfinity; // OpenCV may lack an operator the model uses: ONNX Runtime it is
        }
    }
}
