using OpenCvSharp;
using OpenCvSharp.DnnSuperres;
using SuperRes.Models;

namespace SuperRes.Inference;

/// <summary>
/// Runs an OpenCV dnn_superres zoo model (TensorFlow .pb: EDSR, ESPCN, FSRCNN, LapSRN) through OpenCV's
/// own DnnSuperResImpl, so pre- and post-processing (mean subtraction for EDSR, Y-channel-only inference
/// with bicubic chroma for ESPCN, FSRCNN and LapSRN) is exactly OpenCV's.
/// </summary>
public sealed class OpenCvZooEngine : ISuperResEngine
{
    private readonly ShapeTracker shapes = new();
    private readonly DnnSuperResImpl sr;

    private readonly int threads;

    /// <param name="threads">OpenCV's worker threads for this engine's runs; 0 = leave OpenCV's setting alone.</param>
    public OpenCvZooEngine(string pbPath, string algorithm, int scale, int threads = 0)
    {
        this.threads = threads;
        PrefersFixedShape = ShapeTracker.IsHeavy(pbPath);
        sr = new DnnSuperResImpl();
        try
        {
            sr.ReadModel(pbPath);
            sr.SetModel(algorithm, scale);
        }
        catch (OpenCVException e)
        {
            sr.Dispose();
            throw new ModelException($"OpenCV cannot read {Path.GetFileName(pbPath)} as a {algorithm} model ({e.Message.Split('\n')[0]}); the file is corrupt, import it again.", e);
        }
    }

    public bool ReplansPerShape => true;

    public bool PrefersFixedShape { get; }

    public long Initializations => shapes.Changes;

    public Mat Run(Mat bgrTile, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested(); // dnn_superres cannot be stopped once it runs
        shapes.Saw(bgrTile.Rows, bgrTile.Cols);
        // dnn_superres works on 8-bit BGR; x / 255 * 255 round-trips exactly for 8-bit sources.
        using var bytes = new Mat();
        bgrTile.ConvertTo(bytes, MatType.CV_8UC3, 255.0);
        using var upscaled = new Mat();
        OpenCvThreads.Use(threads);
        sr.Upsample(bytes, upscaled);
        var result = new Mat();
        upscaled.ConvertTo(result, MatType.CV_32FC3, 1.0 / 255.0);
        return result;
    }

    public void Dispose() => sr.Dispose();
}
