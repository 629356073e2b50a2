using OpenCvSharp;
using SuperRes.Inference;
using SuperRes.Models.Quantization;
using SuperRes.Models.Tools.Quantization;

namespace SuperRes.Models.Tools.Zoo;

/// <summary>Converts a zoo graph to ONNX and keeps the result only if it computes what dnn_superres computes.</summary>
internal static class ZooConversion
{
    /// <summary>
    /// Largest difference allowed on the probe, in 8-bit levels. dnn_superres rounds Y, Cr and Cb to 8 bits on the way
    /// in and out (and converts back in integer arithmetic) where the converted graph stays in float: that alone moves
    /// pixels by up to 3 levels. The same files gave 3 in one process and 4 in another (FSRCNN x3): a Y value at .5
    /// rounds either way with the order OpenCV's kernels sum in, and the colour conversion back carries that level on.
    /// </summary>
    public const double MaxLevels = 4;

    /// <returns>The converted model's contract, or null when the graph uses something the converter does not
    /// handle or the result differs from dnn_superres's.</returns>
    public static ModelContract? TryConvert(string pbPath, string algorithm, int scale, string onnxPath, ISuperResEngine original)
    {
        ModelContract contract;
        try
        {
            contract = TfGraphConverter.Convert(pbPath, algorithm, scale, onnxPath);
        }
        catch (ModelException)
        {
            return null;
        }
        return Difference(original, onnxPath, contract) <= MaxLevels ? contract : null;
    }

    /// <summary>Largest per-pixel difference, in 8-bit levels, between dnn_superres and the converted model on a rendered probe.</summary>
    public static double Difference(ISuperResEngine original, string onnxPath, ModelContract contract)
    {
        using var probe8 = DeadLeaves.Render(seed: 7, size: 48);
        using var probe = new Mat();
        probe8.ConvertTo(probe, MatType.CV_32FC3, 1.0 / 255);
        using var converted = new OnnxRuntimeEngine(onnxPath, contract, threads: 1);
        using var expected = original.Run(probe);
        using var actual = converted.Run(probe);
        using var a = new Mat();
        using var b = new Mat();
        expected.ConvertTo(a, MatType.CV_8UC3, 255);
        actual.ConvertTo(b, MatType.CV_8UC3, 255);
        return a.Size() == b.Size() ? Cv2.Norm(a, b, NormTypes.INF) : double.PositiveInfinity;
    }
}
