using System.Diagnostics;
using OpenCvSharp;
using SuperRes.Models;
using SuperRes.Models.Onnx;

namespace SuperRes.Inference;

/// <summary>Creates engines for a resolved model and, for <see cref="EngineKind.Auto"/>, picks the faster runtime once per model file.</summary>
public static class EngineFactory
{
    public static ISuperResEngine Create(ResolvedModel model, EngineKind kind, int threads) => model.Kind switch
    {
        ModelKind.OpenCvZoo when kind == EngineKind.OnnxRuntime =>
            throw new ModelException($"{Path.GetFileName(model.FilePath)} is a TensorFlow graph, which only OpenCV DNN runs (importing it converts it to ONNX for ONNX Runtime).")
            {
                Reason = ModelProblem.EngineMismatch,
            },
        ModelKind.OpenCvZoo => new OpenCvZooEngine(model.FilePath, model.Algorithm!, model.Scale, threads),
        _ => Resolve(model, kind, threads) == EngineKind.OpenCvDnn
            ? new OpenCvDnnEngine(model.FilePath, model.Contract, threads)
            : new OnnxRuntimeEngine(model.FilePath, model.Contract, threads),
    };

    /// <summary>The runtime that will run <paramref name="model"/>: the one asked for, or for Auto the faster on a probe tile.</summary>
    public static EngineKind Resolve(ResolvedModel model, EngineKind kind, int threads)
    {
        var (chosen, measured) = Choose(model, kind, threads);
        measured?.Dispose();
        return chosen;
    }

    /// <summary>
    /// As <see cref="Resolve"/>, and when the choice was measured just now, the winning engine itself, already run once:
    /// a pool that starts with it does not create and initialise that runtime a second time (for a large model, seconds
    /// of the first run). The caller owns the engine.
    /// </summary>
    public static (EngineKind Kind, ISuperResEngine? Measured) Choose(ResolvedModel model, EngineKind kind, int threads)
    {
        if (model.Kind == ModelKind.OpenCvZoo)
        {
            return (EngineKind.OpenCvDnn, null);
        }
        if (model.Precision == Models.Quantization.Precision.Int8)
        {
            // QDQ graphs are fused into int8 kernels by ONNX Runtime; OpenCV DNN would run them as dequantized float.
            return kind == EngineKind.OpenCvDnn
                ? throw new ModelException($"{Path.GetFileName(model.FilePath)} is an int8 model, which runs on ONNX Runtime only (fp32 runs on either).")
                {
                    Reason = ModelProblem.EngineMismatch,
                }
                : (EngineKind.OnnxRuntime, null);
        }
        if (kind != EngineKind.Auto)
        {
            return (kind, null);
        }
        // No table in the process: the upscaler keeps each loaded model's choice with its engine pool, and the file
        // beside the model keeps it across processes.
        if (OnnxGraphFacts.HasCrdDepthToSpace(model.FilePath))
        {
            return (EngineKind.OnnxRuntime, null);
        }
        if (EngineChoiceFile.Read(model.FilePath, threads) is { } remembered)
        {
            return (remembered, null);
        }
        var winner = Measure(model, threads);
        EngineChoiceFile.Write(model.FilePath, threads, winner.Kind);
        return (winner.Kind, winner.Engine);
    }

    private static (EngineKind Kind, ISuperResEngine Engine) Measure(ResolvedModel model, int threads)
    {
        int side = ProbeSide(new FileInfo(model.FilePath).Length);
        using var probe = new Mat(side, side, MatType.CV_32FC3);
        Cv2.Randu(probe, Scalar.All(0), Scalar.All(1));
        var (ortEngine, ort, reference) = Time(() => new OnnxRuntimeEngine(model.FilePath, model.Contract, threads), probe);
        using (reference)
        {
            ISuperResEngine? cvEngine = null;
            try
            {
                (cvEngine, var cv, var output) = Time(() => new OpenCvDnnEngine(model.FilePath, model.Contract, threads), probe);
                using (output)
                {
                    // ONNX Runtime is the reference implementation of the format: OpenCV DNN is only taken when it
                    // computes the same picture, since its graph fusions differ between CPU kinds and versions.
                    if (cv < ort && Agree(reference, output))
                    {
                        ortEngine.Dispose();
                        return (EngineKind.OpenCvDnn, cvEngine);
                    }
                }
            }
            catch (Exception)
            {
                // OpenCV may lack an operator the model uses: ONNX Runtime runs it.
            }
            cvEngine?.Dispose();
            return (EngineKind.OnnxRuntime, ortEngine);
        }
    }

    /// <summary>
    /// The probe tile's edge: 64 pixels shows each runtime's per-pixel cost for the models we ship, but four runs of it
    /// through a full EDSR (38 M weights, about as many multiply-adds per pixel) take four seconds, more than the rest of
    /// a first picture. So the probe holds to about 2 G multiply-adds, estimated from the file (4 bytes a weight),
    /// and never goes below 24 pixels.
    /// </summary>
    internal static int ProbeSide(long fileBytes) =>
        (int)Math.Clamp(Math.Sqrt(2e9 / Math.Max(1, fileBytes / 4)), 24, 64);

    /// <summary>The engine <paramref name="create"/> makes, the fastest of <paramref name="runs"/> timed runs on the probe
    /// after a warm-up, and the last run's output.</summary>
    internal static (ISuperResEngine Engine, double Seconds, Mat Output) Time(Func<ISuperResEngine> create, Mat probe, int runs = 1)
    {
        var engine = create();
        try
        {
            engine.Run(probe).Dispose(); // warm-up: first runs allocate and pick kernels
            double fastest = double.MaxValue;
            Mat? output = null;
            for (int i = 0; i < runs; i++)
            {
                output?.Dispose();
                var sw = Stopwatch.StartNew();
                output = engine.Run(probe);
                fastest = Math.Min(fastest, sw.Elapsed.TotalSeconds);
            }
            return (engine, fastest, output!);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Agreement relative to the output's magnitude: a trained model's outputs are in [0, 1], where a thousandth is
    /// a quarter of one 8-bit grey level; an untrained or differently scaled graph (the benchmark's random-weight
    /// EDSR reaches hundreds) is held to the same thousandth of its own range, since float sums in another order
    /// differ by a fraction of the magnitude, not by an absolute amount.
    /// </summary>
    internal static bool Agree(Mat a, Mat b) =>
        a.Size() == b.Size() && Cv2.Norm(a, b, NormTypes.INF) <= 1e-3 * Math.Max(1.0, Cv2.Norm(a, NormTypes.INF));
}
