using SuperRes.Models.Onnx;
using SuperRes.Models.Onnx.Schema;
using DataType = SuperRes.Models.Onnx.Schema.TensorProto.Types.DataType;

namespace SuperRes.Models.Tools.Quantization;

/// <summary>
/// Rewrites a float graph into ONNX's QDQ form, which ONNX Runtime fuses into int8 kernels (QLinearConv and friends):
/// <list type="bullet">
/// <item>weights per output channel, symmetric int8 (scale = max |w| / 127), behind a DequantizeLinear;</item>
/// <item>biases as int32 on the grid input scale x weight scale, as the int8 convolution accumulates;</item>
/// <item>each planned activation through a QuantizeLinear/DequantizeLinear pair with its calibrated uint8 grid.</item>
/// </list>
/// Everything else (pixel shuffle, mean shifts, residual adds) stays as it was and runs on the dequantized values.
/// </summary>
internal static class QdqRewriter
{
    /// <summary>Rewrites <paramref name="model"/> in place; <paramref name="plan"/> must have been made from this model's graph.</summary>
    public static void Apply(ModelProto model, QuantizationPlan plan, IReadOnlyDictionary<string, ActivationRange> ranges)
    {
        var graph = model.Graph;
        var constants = QuantizationPlan.Constants(graph);
        var grids = plan.Activations.ToDictionary(t => t, t => ranges.TryGetValue(t, out var r)
            ? r.Uint8()
            : throw new InvalidOperationException($"No calibrated range for {t}."), StringComparer.Ordinal);
        var convs = plan.Convolutions.ToHashSet(ReferenceEqualityComparer.Instance);
        var graphInputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var weightsDone = new Dictionary<string, (string Dequantized, float[] Scales)>(StringComparer.Ordinal);
        var inputAliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var nodes = new List<NodeProto>();

        void QuantizeDequantize(string source, string target, string tensor)
        {
            var (scale, zeroPoint) = grids[tensor];
            graph.Initializer.Add(OnnxTensors.Scalar($"{tensor}__scale", scale));
            graph.Initializer.Add(OnnxTensors.Scalar($"{tensor}__zero", zeroPoint));
            nodes.Add(Node("QuantizeLinear", [source, $"{tensor}__scale", $"{tensor}__zero"], $"{tensor}__q"));
            nodes.Add(Node("DequantizeLinear", [$"{tensor}__q", $"{tensor}__scale", $"{tensor}__zero"], target));
        }

        foreach (var input in plan.Activations.Where(graphInputs.Contains))
        {
            // A graph input keeps its name for callers; its consumers read the dequantized copy.
            inputAliases[input] = $"{input}__dq";
            QuantizeDequantize(input, inputAliases[input], input);
        }

        foreach (var node in graph.Node)
        {
            if (convs.Contains(node))
            {
                float inputScale = grids[node.Input[0]].Scale;
                var (weight, weightScales) = weightsDone.TryGetValue(node.Input[1], out var done)
                    ? done
                    : weightsDone[node.Input[1]] = QuantizeWeight(graph, nodes, constants[node.Input[1]], node.Input[1]);
                node.Input[1] = weight;
                if (node.Input.Count > 2 && node.Input[2].Length > 0)
                {
                    node.Input[2] = QuantizeBias(graph, nodes, constants[node.Input[2]], $"{node.Output[0]}__bias", inputScale, weightScales);
                }
            }
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (inputAliases.TryGetValue(node.Input[i], out var alias))
                {
                    node.Input[i] = alias;
                }
            }
            var produced = node.Output.Where(grids.ContainsKey).ToList();
            foreach (var tensor in produced)
            {
                // The producer writes a float copy under a new name; the dequantized value takes the original name,
                // so every consumer (and a graph output) reads the quantized value without being edited.
                node.Output[node.Output.IndexOf(tensor)] = $"{tensor}__f";
            }
            nodes.Add(node);
            foreach (var tensor in produced)
            {
                QuantizeDequantize($"{tensor}__f", tensor, tensor);
            }
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        RemoveUnused(graph);
    }

    private static (string Dequantized, float[] Scales) QuantizeWeight(GraphProto graph, List<NodeProto> nodes, TensorProto tensor, string name)
    {
        var w = OnnxTensors.Floats(tensor);
        int channels = (int)tensor.Dims[0], per = w.Length / channels;
        var q = new sbyte[w.Length];
        var scales = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            var row = w.AsSpan(c * per, per);
            float max = 0;
            foreach (var v in row)
            {
                max = Math.Max(max, Math.Abs(v));
            }
            scales[c] = max > 0 ? max / 127f : 1f;
            for (int i = 0; i < per; i++)
            {
                q[c * per + i] = (sbyte)Math.Clamp(Math.Round(row[i] / scales[c]), -127, 127);
            }
        }
        graph.Initializer.Add(OnnxTensors.Make<sbyte>($"{name}__int8", q, DataType.Int8, [.. tensor.Dims]));
        graph.Initializer.Add(OnnxTensors.Make<float>($"{name}__scale", scales, DataType.Float, channels));
        graph.Initializer.Add(OnnxTensors.Make<sbyte>($"{name}__zero", new sbyte[channels], DataType.Int8, channels));
        var dq = Node("DequantizeLinear", [$"{name}__int8", $"{name}__scale", $"{name}__zero"], $"{name}__dq");
        dq.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        nodes.Add(dq);
        return (dq.Output[0], scales);
    }

    private static string QuantizeBias(GraphProto graph, List<NodeProto> nodes, TensorProto tensor, string name, float inputScale, float[] weightScales)
    {
        var b = OnnxTensors.Floats(tensor);
        var q = new int[b.Length];
        var scales = new float[b.Length];
        for (int c = 0; c < b.Length; c++)
        {
            scales[c] = inputScale * weightScales[c];
            q[c] = (int)Math.Clamp(Math.Round(b[c] / scales[c]), int.MinValue, int.MaxValue);
        }
        graph.Initializer.Add(OnnxTensors.Make<int>($"{name}__int32", q, DataType.Int32, b.Length));
        graph.Initializer.Add(OnnxTensors.Make<float>($"{name}__scale", scales, DataType.Float, b.Length));
        var dq = Node("DequantizeLinear", [$"{name}__int32", $"{name}__scale"], $"{name}__dq");
        dq.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        nodes.Add(dq);
        return dq.Output[0];
    }

    /// <summary>Drops the float weights the int8 copies replaced, so the file holds each weight once.</summary>
    private static void RemoveUnused(GraphProto graph)
    {
        var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var keepNodes = graph.Node.Where(n => n.OpType != "Constant" || n.Output.Any(used.Contains)).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(keepNodes);
        var keepInit = graph.Initializer.Where(t => used.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(keepInit);
        // Older exporters list weights among the graph inputs too: drop those entries with their weights.
        var keepInputs = graph.Input.Where(i => used.Contains(i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(keepInputs);
    }

    private static NodeProto Node(string op, IEnumerable<string> inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = $"{output}/{op}" }; // unique: the original node may carry the output tensor's name
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
