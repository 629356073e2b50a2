using OpenCvSharp;

namespace SuperRes.Inference;

/// <summary>
/// One loaded model, ready to run. Not thread-safe: the <see cref="EnginePool"/> hands each instance
/// to one caller at a time.
/// </summary>
public interface ISuperResEngine : IDisposable
{
    /// <summary>Output size divided by input size.</summary>
    int Scale { get; }

    /// <summary>
    /// True when a new input shape costs a re-initialisation worth avoiding (OpenCV DNN re-plans the whole
    /// network and repacks its weights: 2.5 s for a full EDSR), so tiles are padded to one shape.
    /// </summary>
    bool PrefersFixedShape { get; }

    /// <summary>How often this engine has prepared for an input shape (its first, and every change after).</summary>
    long Initializations { get; }

    /// <summary>
    /// Upscales one tile. Input and output are CV_32FC3, BGR, nominally in [0, 1] (the output may
    /// overshoot slightly; clamping happens once, when the blended image is written out).
    /// </summary>
    Mat Run(Mat bgrTile);
}
