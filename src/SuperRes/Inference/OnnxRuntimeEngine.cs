using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using SuperRes.Models;

namespace SuperRes.Inference;

/// <summary>Runs an ONNX model (NCHW float32 in and out) through ONNX Runtime on the CPU.</summary>
public sealed class OnnxRuntimeEngine : ISuperResEngine
{
    private readonly ShapeTracker shapes = new();
    private readonly InferenceSession session;
    private readonly ModelContract metadata;
    private readonly string inputName;
    private readonly string outputName;

    public OnnxRuntimeEngine(string onnxPath, ModelContract metadata, int threads)
    {
        this.metadata = metadata;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, threads),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // A memory pattern is one block planned per input shape, and a picture's tiles come in up to four shapes:
            // without them a 10000-pixel-wide row of tiles peaked 45 MB lower, at the same speed (1024² at x3 in int8,
            // alternating runs: 2.90 / 3.23 s against 3.36 / 3.10 s with them).
            EnableMemoryPattern = false,
        };
        // The pool sizes threads to the cores; spinning workers would steal them from the other engines.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            session = new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelException($"ONNX Runtime cannot load {Path.GetFileName(onnxPath)} ({FirstLine(e.Message)}); the file is corrupt or not an ONNX model, pull or import it again.", e);
        }
        inputName = session.InputMetadata.Keys.First();
        outputName = session.OutputMetadata.Keys.First();
    }

    public bool ReplansPerShape => false;

    public bool PrefersFixedShape => false;

    public long Initializations => shapes.Changes;

    public Mat Run(Mat bgrTile, CancellationToken ct = default)
    {
        shapes.Saw(bgrTile.Rows, bgrTile.Cols);
        int h = bgrTile.Rows, w = bgrTile.Cols, n = 3 * h * w;
        // A tile's input buffer is kept between calls (taken, so two calls at once each have their own): a new one per
        // tile left a megabyte of large-object garbage a tile. A whole picture's is not kept: it would stay for good.
        var input = Interlocked.Exchange(ref spareInput, null) is { } kept && kept.Length >= n ? kept : new float[n];
        try
        {
            NchwLayout.ToNchw(bgrTile, input.AsSpan(0, n), metadata.Channels, metadata.Range);
            using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, n), [1, 3, h, w]);
            return RunTensor(inputValue, ct);
        }
        finally
        {
            if (input.Length <= MaxKeptInput)
            {
                spareInput = input;
            }
        }
    }

    /// <summary>Floats of the largest input kept between calls: a 512² tile's (3 MB).</summary>
    private const int MaxKeptInput = 3 * 512 * 512;

    private float[]? spareInput;

    private Mat RunTensor(OrtValue inputValue, CancellationToken ct)
    {
        // One set of run options per call: cancelling sets its terminate flag, which ONNX Runtime checks between
        // operators, and the flag cannot leak into the next call.
        using var runOptions = new RunOptions();
        using var outputs = RunSession(runOptions, inputValue, ct);
        var output = outputs[0];
        var shape = output.GetTensorTypeAndShape().Shape;
        if (shape.Length != 4 || shape[1] != 3)
        {
            throw new ModelException($"The model's output has shape [{string.Join(", ", shape)}]; SuperRes needs [1, 3, H, W].");
        }
        return NchwLayout.FromNchw(output.GetTensorDataAsSpan<float>(), (int)shape[2], (int)shape[3], metadata.Channels, metadata.Range);
    }

    /// <summary>The session's run, stopped by <paramref name="ct"/>: registering on a token cancelled already sets the
    /// flag at once, and the run stops before its first operator.</summary>
    private IDisposableReadOnlyCollection<OrtValue> RunSession(RunOptions runOptions, OrtValue inputValue, CancellationToken ct)
    {
        using var terminate = ct.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);
        try
        {
            return session.Run(runOptions, [inputName], [inputValue], [outputName]);
        }
        catch (OnnxRuntimeException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("The engine call was cancelled.", ct);
        }
    }

    public void Dispose() => session.Dispose();

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
