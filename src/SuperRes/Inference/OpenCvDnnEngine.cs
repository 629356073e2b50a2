using OpenCvSharp;
using OpenCvSharp.Dnn;
using SuperRes.Models;

namespace SuperRes.Inference;

/// <summary>Runs an ONNX model through OpenCV's DNN module (faster than ONNX Runtime for plain 3x3 conv stacks on small inputs).</summary>
public sealed class OpenCvDnnEngine : ISuperResEngine
{
    private readonly ShapeTracker shapes = new();
    private readonly Net net;
    private readonly ModelContract metadata;
    private readonly int threads;

    // OpenCV's failures reach callers as exceptions that say what went wrong; its own stderr lines (an [ERROR] for each
    // graph it cannot import, also while auto times the two engines) would only repeat them to users in OpenCV's words.
    static OpenCvDnnEngine() => Cv2.SetLogLevel(OpenCvSharp.LogLevel.SILENT);

    /// <param name="threads">OpenCV's worker threads for this engine's runs; 0 = leave OpenCV's setting alone.</param>
    public OpenCvDnnEngine(string onnxPath, ModelContract metadata, int threads = 0)
    {
        this.metadata = metadata;
        this.threads = threads;
        PrefersFixedShape = ShapeTracker.IsHeavy(onnxPath);
        try
        {
            net = CvDnn.ReadNetFromOnnx(onnxPath) ?? throw new ModelException($"OpenCV DNN cannot read {Path.GetFileName(onnxPath)}.");
        }
        catch (OpenCVException e)
        {
            throw new ModelException($"OpenCV DNN cannot load {Path.GetFileName(onnxPath)} ({e.Message}); the file is corrupt or uses operators OpenCV lacks.", e)
            {
                Reason = ModelProblem.EngineMismatch,
            };
        }
        net.SetPreferableBackend(Backend.OPENCV);
        net.SetPreferableTarget(Target.CPU);
    }

    public bool ReplansPerShape => true;

    public bool PrefersFixedShape { get; }

    public long Initializations => shapes.Changes;

    public unsafe Mat Run(Mat bgrTile, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested(); // OpenCV's forward pass cannot be stopped once it runs
        shapes.Saw(bgrTile.Rows, bgrTile.Cols);
        int h = bgrTile.Rows, w = bgrTile.Cols;
        var input = new float[3 * h * w];
        NchwLayout.ToNchw(bgrTile, input, metadata.Channels, metadata.Range);
        using var blob = Mat.FromPixelData([1, 3, h, w], MatType.CV_32F, input);
        net.SetInput(blob);
        OpenCvThreads.Use(threads);
        using var output = net.Forward();
        if (output.Dims != 4 || output.Size(1) != 3)
        {
            throw new ModelException("The model's output is not a [1, 3, H, W] image.");
        }
        int oh = output.Size(2), ow = output.Size(3);
        var span = new ReadOnlySpan<float>((void*)output.Data, 3 * oh * ow);
        return NchwLayout.FromNchw(span, oh, ow, metadata.Channels, metadata.Range);
    }

    public void Dispose() => net.Dispose();
}
