using System.Diagnostics;
using Google.Protobuf;
using OpenCvSharp;
using SuperRes.Inference;
using SuperRes.Models.Onnx;
using SuperRes.Models.Onnx.Schema;
using SuperRes.Models.Quantization;
using SuperRes.Quality;

namespace SuperRes.Models.Tools.Quantization;

/// <summary>
/// Writes a checked int8 copy of a float ONNX super-resolution model:
/// <list type="number">
/// <item>calibrates every convolution's activations on the calibration images' low-resolution copies;</item>
/// <item>rewrites the graph into QDQ form, first with every convolution in int8, then, if that loses too much, with the
/// first and last (the layers that read and write pixels) left in float;</item>
/// <item>scores each candidate like the SR protocol (Y PSNR against the high-resolution originals) next to the float
/// model, and writes the first whose loss is within the guard, marked with its numbers. None is written otherwise.</item>
/// </list>
/// </summary>
public static class Int8Quantizer
{
    public static QuantizationReport Quantize(string floatModel, ModelContract contract, string output,
        QuantizationOptions? options = null, IProgress<string>? progress = null)
    {
        options ??= new QuantizationOptions();
        int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        var model = OnnxModelFile.Read(floatModel);
        CheckOpset(model, floatModel);
        var full = QuantizationPlan.For(model.Graph, keepEdgesFloat: false);
        if (full.Convolutions.Count == 0)
        {
            throw new ModelException($"{Path.GetFileName(floatModel)} has no convolution with constant weights to quantize.");
        }

        using var images = options.CalibrationFolder is { } folder ? CalibrationImages.FromFolder(folder) : CalibrationImages.BuiltIn();
        var lowRes = images.HighRes.Select(hr => SrProtocol.Downscale(hr, contract.Scale)).ToList();
        try
        {
            // Calibrate on half the images and judge on the other half: judged on the images it was calibrated on, a
            // tight range looks free, while new images with stronger edges saturate it (measured: 99.99 % ranges lost
            // nothing on their own calibration crops of Set14 and 0.10 dB on Set5).
            var (calibrate, check) = Split(images.HighRes.Count);
            var inputs = calibrate.Select(i => ToInput(lowRes[i], contract)).ToList();
            var ranges = ActivationCalibrator.Measure(model, full.Activations, inputs, options.Percentile, threads, progress);
            var checkHigh = check.Select(i => images.HighRes[i]).ToList();
            var checkLow = check.Select(i => lowRes[i]).ToList();

            progress?.Report("scoring the float model");
            var (floatPsnr, floatSeconds) = Score(floatModel, contract, threads, checkHigh, checkLow);

            var attempts = new List<QuantizationAttempt>();
            foreach (var (keepEdges, layers) in new[] { (false, "every convolution in int8"), (true, "first and last convolutions in float") })
            {
                var candidate = model.Clone();
                var plan = QuantizationPlan.For(candidate.Graph, keepEdges);
                if (plan.Convolutions.Count == 0)
                {
                    continue;
                }
                QdqRewriter.Apply(candidate, plan, ranges);
                var tmp = $"{output}.{Guid.NewGuid():N}.tmp";
                try
                {
                    File.WriteAllBytes(tmp, candidate.ToByteArray());
                    progress?.Report($"scoring int8: {layers}");
                    var (int8Psnr, int8Seconds) = Score(tmp, contract, threads, checkHigh, checkLow);
                    var attempt = new QuantizationAttempt(layers, plan.Convolutions.Count, plan.TotalConvolutions, floatPsnr, int8Psnr, floatSeconds, int8Seconds);
                    attempts.Add(attempt);
                    if (attempt.LossDb <= options.MaxLossDb)
                    {
                        Int8CopyMarks.Mark(candidate, attempt);
                        File.WriteAllBytes(tmp, candidate.ToByteArray());
                        File.Move(tmp, output, overwrite: true);
                        File.Delete(Int8Speed.PathFor(output)); // a new copy is timed afresh where that matters
                        return new QuantizationReport(output, images.Source, options.MaxLossDb, attempts, attempt);
                    }
                }
                finally
                {
                    File.Delete(tmp);
                }
            }
            // A copy accepted earlier (other weights, another guard) must not outlive a refusal: auto would still take it.
            bool removed = Int8Copy.IsInt8(output);
            if (removed)
            {
                File.Delete(output);
                File.Delete(Int8Speed.PathFor(output));
            }
            return new QuantizationReport(output, images.Source, options.MaxLossDb, attempts, null) { RemovedPrevious = removed };
        }
        finally
        {
            lowRes.ForEach(m => m.Dispose());
        }
    }

    /// <summary>Even images calibrate, odd ones judge; with fewer than four images, all do both.</summary>
    private static (IReadOnlyList<int> Calibrate, IReadOnlyList<int> Check) Split(int count)
    {
        var all = Enumerable.Range(0, count).ToList();
        return count < 4 ? (all, all) : (all.Where(i => i % 2 == 0).ToList(), all.Where(i => i % 2 == 1).ToList());
    }

    private static void CheckOpset(ModelProto model, string path)
    {
        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
        if (opset < 13)
        {
            // Per-channel DequantizeLinear (the axis attribute) arrived in opset 13.
            throw new ModelException($"{Path.GetFileName(path)} uses ONNX opset {opset}; int8 needs opset 13 or later, so export it again with a newer opset.");
        }
    }

    private static NchwInput ToInput(Mat lr, ModelContract contract)
    {
        using var unit = new Mat();
        lr.ConvertTo(unit, MatType.CV_32FC3, 1.0 / 255);
        var data = new float[3 * lr.Rows * lr.Cols];
        NchwLayout.ToNchw(unit, data, contract.Channels, contract.Range);
        return new NchwInput(data, lr.Rows, lr.Cols);
    }

    /// <summary>Mean protocol PSNR over the images, and the seconds the engine took for them all (after one warm-up run).</summary>
    private static (double Psnr, double Seconds) Score(string modelPath, ModelContract contract, int threads, IReadOnlyList<Mat> highRes, IReadOnlyList<Mat> lowRes)
    {
        using var engine = new OnnxRuntimeEngine(modelPath, contract, threads);
        double psnr = 0, seconds = 0;
        for (int i = 0; i < lowRes.Count; i++)
        {
            using var unit = new Mat();
            lowRes[i].ConvertTo(unit, MatType.CV_32FC3, 1.0 / 255);
            if (i == 0)
            {
                engine.Run(unit).Dispose(); // first run allocates and picks kernels
            }
            var sw = Stopwatch.StartNew();
            using var sr = engine.Run(unit);
            seconds += sw.Elapsed.TotalSeconds;
            using var sr8 = new Mat();
            sr.ConvertTo(sr8, MatType.CV_8UC3, 255);
            psnr += SrProtocol.Score(highRes[i], sr8, contract.Scale).Psnr;
        }
        return (psnr / lowRes.Count, seconds);
    }
}
