using OpenCvSharp;

namespace SuperRes.Inference;

/// <summary>
/// One loaded model, ready to run. Not thread-safe: the <see cref="EnginePool"/> hands each instance
/// to one caller at a time.
/// </summary>
public interface ISuperResEngine : IDisposable
{
    /// <summary>True when the runtime re-plans the network for every new input shape (OpenCV DNN, dnn_superres).</summary>
    bool ReplansPerShape { get; }

    /// <summary>
    /// True when that re-planning costs more than padding tiles to one shape would: it repacks every weight
    /// (2.5 s for a full EDSR), so it is worth avoiding for models with many weights, not for small ones,
    /// where padding a 256² image's tiles to one shape costs more time than the re-plans it saves.
    /// </summary>
    bool PrefersFixedShape { get; }

    /// <summary>How often this engine has prepared for an input shape (its first, and every change after).</summary>
    long Initializations { get; }

    /// <summary>
    /// Upscales one tile. Input and output are CV_32FC3, BGR, nominally in [0, 1] (the output may
    /// overshoot slightly; clamping happens once, when the blended image is written out).
    /// A cancelled <paramref name="ct"/> throws <see cref="OperationCanceledException"/>: before the call, and during it
    /// where the runtime can stop (ONNX Runtime between operators), so a cancelled job frees its engine promptly.
    /// </summary>
    Mat Run(Mat bgrTile, CancellationToken ct = default);
}
