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
    /// Upscales one tile. Input and output are CV_32FC3, BGR, nominally in [0, 1] (the output may
    /// overshoot slightly; clamping happens once, when the blended image is written out).
    /// </summary>
    Mat Run(Mat bgrTile);
}
