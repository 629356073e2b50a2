using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SuperRes.Models.Onnx.Schema;

namespace SuperRes.Models.Tools.Quantization;

/// <summary>
/// Measures the range of each activation tensor a plan quantizes by running the float model on calibration inputs
/// with those tensors exposed as extra outputs. The range kept is a central percentile of all values seen (two
/// passes: extremes, then a histogram between them), so a handful of outliers does not coarsen the grid for the rest.
/// </summary>
internal static class ActivationCalibrator
{
    private const int Bins = 4096;

    public static Dictionary<string, ActivationRange> Measure(ModelProto model, IReadOnlyList<string> tensors,
        IReadOnlyList<NchwInput> inputs, double percentile, int threads, IProgress<string>? progress)
    {
        var probe = model.Clone();
        var graphInput = probe.Graph.Input.Select(i => i.Name).Except(probe.Graph.Initializer.Select(t => t.Name)).First();
        var exposed = tensors.Where(t => t != graphInput).ToList();
        var existing = probe.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var t in exposed.Where(t => !existing.Contains(t)))
        {
            probe.Graph.Output.Add(new ValueInfoProto
            {
                Name = t,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }
        using var options = new SessionOptions { IntraOpNumThreads = Math.Max(1, threads), GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC };
        using var session = new InferenceSession(probe.ToByteArray(), options);

        var min = tensors.ToDictionary(t => t, _ => float.PositiveInfinity, StringComparer.Ordinal);
        var max = tensors.ToDictionary(t => t, _ => float.NegativeInfinity, StringComparer.Ordinal);
        ForEachTensor(session, graphInput, exposed, inputs, tensors.Contains(graphInput), "calibrating: ranges", progress, (name, values) =>
        {
            foreach (var v in values)
            {
                min[name] = Math.Min(min[name], v);
                max[name] = Math.Max(max[name], v);
            }
        });
        if (percentile >= 100)
        {
            return tensors.ToDictionary(t => t, t => new ActivationRange(min[t], max[t]), StringComparer.Ordinal);
        }

        var histograms = tensors.ToDictionary(t => t, _ => new long[Bins], StringComparer.Ordinal);
        ForEachTensor(session, graphInput, exposed, inputs, tensors.Contains(graphInput), "calibrating: histograms", progress, (name, values) =>
        {
            var h = histograms[name];
            float lo = min[name], width = Math.Max(max[name] - lo, 1e-12f);
            foreach (var v in values)
            {
                h[Math.Clamp((int)((v - lo) / width * Bins), 0, Bins - 1)]++;
            }
        });
        double tail = (100 - percentile) / 100;
        return tensors.ToDictionary(t => t, t => Trim(histograms[t], min[t], max[t], tail), StringComparer.Ordinal);
    }

    private static ActivationRange Trim(long[] histogram, float min, float max, double tail)
    {
        long total = histogram.Sum(), cut = (long)(total * tail);
        float width = (max - min) / Bins;
        int lo = 0, hi = Bins - 1;
        for (long seen = histogram[lo]; seen <= cut && lo < hi; seen += histogram[++lo])
        {
        }
        for (long seen = histogram[hi]; seen <= cut && hi > lo; seen += histogram[--hi])
        {
        }
        return new ActivationRange(lo == 0 ? min : min + lo * width, hi == Bins - 1 ? max : min + (hi + 1) * width);
    }

    private static void ForEachTensor(InferenceSession session, string graphInput, List<string> exposed, IReadOnlyList<NchwInput> inputs,
        bool inputIsQuantized, string stage, IProgress<string>? progress, Action<string, ReadOnlySpan<float>> visit)
    {
        using var runOptions = new RunOptions();
        for (int i = 0; i < inputs.Count; i++)
        {
            progress?.Report($"{stage} {i + 1}/{inputs.Count}");
            var input = inputs[i];
            if (inputIsQuantized)
            {
                visit(graphInput, input.Data);
            }
            using var value = OrtValue.CreateTensorValueFromMemory(input.Data, [1, 3, input.Height, input.Width]);
            using var outputs = session.Run(runOptions, [graphInput], [value], exposed);
            for (int k = 0; k < exposed.Count; k++)
            {
                visit(exposed[k], outputs[k].GetTensorDataAsSpan<float>());
            }
        }
    }
}

/// <summary>One calibration input as the model takes it: planar, batch of one, three channels.</summary>
internal sealed record NchwInput(float[] Data, int Height, int Width);
