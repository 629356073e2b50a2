using SuperRes.Models.Onnx.Schema;

namespace SuperRes.Models.Tools.Quantization;

/// <summary>
/// Which convolutions of a float graph run in int8, and which activation tensors get a quantize/dequantize pair for
/// them: each quantized convolution's input, and its output (after its ReLU when one follows, so ONNX Runtime folds
/// the ReLU into the int8 convolution's zero point). Those are the tensors calibration must measure.
/// </summary>
internal sealed record QuantizationPlan(IReadOnlyList<NodeProto> Convolutions, IReadOnlyList<string> Activations, int TotalConvolutions)
{
    private static readonly HashSet<string> QuantizedOps = ["QuantizeLinear", "DequantizeLinear", "QLinearConv", "ConvInteger", "DynamicQuantizeLinear"];

    /// <summary>Plans every convolution with a constant weight, or all but the first and last (the layers that touch pixels).</summary>
    public static QuantizationPlan For(GraphProto graph, bool keepEdgesFloat)
    {
        if (graph.Node.Any(n => QuantizedOps.Contains(n.OpType)))
        {
            throw new ModelException("The model is quantized already; quantize its float original.");
        }
        var constants = ConstantNames(graph);
        var convs = graph.Node.Where(n => n.OpType == "Conv" && n.Input.Count > 1 && constants.Contains(n.Input[1])
            && (n.Input.Count < 3 || n.Input[2].Length == 0 || constants.Contains(n.Input[2]))).ToList();
        int total = convs.Count;
        if (keepEdgesFloat)
        {
            convs = convs.Count > 2 ? convs[1..^1] : [];
        }
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var activations = new List<string>();
        void Add(string tensor)
        {
            if (!activations.Contains(tensor))
            {
                activations.Add(tensor);
            }
        }
        foreach (var conv in convs)
        {
            Add(conv.Input[0]);
            var output = conv.Output[0];
            var next = consumers[output].ToList();
            Add(next is [{ OpType: "Relu" } relu] && !outputs.Contains(output) ? relu.Output[0] : output);
        }
        return new QuantizationPlan(convs, activations, total);
    }

    /// <summary>Names of the graph's constant tensors: initializers and Constant nodes' outputs.</summary>
    public static HashSet<string> ConstantNames(GraphProto graph) =>
        [.. graph.Initializer.Select(t => t.Name), .. graph.Node.Where(n => n.OpType == "Constant").SelectMany(n => n.Output)];

    public static Dictionary<string, TensorProto> Constants(GraphProto graph)
    {
        var map = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => n.OpType == "Constant" && n.Output.Count == 1))
        {
            if (node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { } t)
            {
                map[node.Output[0]] = t;
            }
        }
        foreach (var t in graph.Initializer)
        {
            map[t.Name] = t;
        }
        return map;
    }
}
