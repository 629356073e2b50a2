using System.Runtime.InteropServices;
using Google.Protobuf;
using SuperRes.Models.Onnx;
using SuperRes.Models.Tools.Onnx;
using SuperRes.Models.Tools.Zoo.Schema;

namespace SuperRes.Models.Tools.Zoo;

/// <summary>
/// Writes the recipe's EDSR as the TensorFlow frozen graph dnn_superres loads (the form of Saafke's EDSR_x3.pb, which
/// no machine of ours can fetch): NHWC, a Placeholder in, convolutions with bias adds, residual blocks scaled by 0.1,
/// depth_to_space, a transpose to NCHW out; weights stored as quint8 behind Dequantize, as TensorFlow's
/// quantize_weights leaves them. Random weights: a speed and conversion benchmark, not an upscaler.
/// </summary>
public static class EdsrGraphDefBuilder
{
    private const int DtFloat = 1, DtInt32 = 3, DtQuint8 = 12;

    public static void Write(string path, EdsrModelBuilder.Shape shape, int seed = 1)
    {
        var rng = new Random(seed);
        var graph = new GraphDef();
        int f = shape.Filters;
        Add(graph, "IteratorGetNext", "Placeholder", [], ("dtype", new AttrValue { Type = DtFloat }));
        var head = Conv(graph, rng, "IteratorGetNext", "head", 3, f);
        var body = head;
        Add(graph, "scaling", "Const", [], ("dtype", new AttrValue { Type = DtFloat }), ("value", new AttrValue { Tensor = FloatTensor([shape.ResidualScaling]) }));
        for (int b = 0; b < shape.Blocks; b++)
        {
            var c1 = Conv(graph, rng, body, $"block{b}/conv1", f, f);
            Add(graph, $"block{b}/relu", "Relu", [c1], T());
            var c2 = Conv(graph, rng, $"block{b}/relu", $"block{b}/conv2", f, f);
            Add(graph, $"block{b}/scaled", "Mul", [c2, "scaling"], T());
            Add(graph, $"block{b}/out", "Add", [body, $"block{b}/scaled"], T());
            body = $"block{b}/out";
        }
        var tail = Conv(graph, rng, body, "body_end", f, f);
        Add(graph, "global_skip", "Add", [tail, head], T());
        var up = Conv(graph, rng, "global_skip", "upsample", f, 3 * shape.Scale * shape.Scale);
        Add(graph, "NHWC_output", "DepthToSpace", [up], T(), ("block_size", new AttrValue { I = shape.Scale }), ("data_format", Text("NHWC")));
        var perm = new Tensor { Dtype = DtInt32, TensorShape = Shape(4), TensorContent = ByteString.CopyFrom(MemoryMarshal.AsBytes<int>([0, 3, 1, 2])) };
        Add(graph, "NCHW_output/perm", "Const", [], ("dtype", new AttrValue { Type = DtInt32 }), ("value", new AttrValue { Tensor = perm }));
        Add(graph, "NCHW_output", "Transpose", ["NHWC_output", "NCHW_output/perm"], T(), ("Tperm", new AttrValue { Type = DtInt32 }));
        File.WriteAllBytes(path, graph.ToByteArray());
    }

    /// <summary>A 3x3 SAME convolution with quint8 weights (HWIO) and a float bias; returns the biased output's name.</summary>
    private static string Conv(GraphDef graph, Random rng, string input, string name, int cin, int cout)
    {
        float limit = MathF.Sqrt(3f / (9 * cin)); // keeps activations near unit variance through the depth
        var w = new float[9 * cin * cout];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)(rng.NextDouble() * 2 - 1) * limit;
        }
        float min = w.Min(), max = w.Max();
        var q = w.Select(v => (byte)Math.Clamp(Math.Round((v - min) / (max - min) * 255), 0, 255)).ToArray();
        var quantized = new Tensor { Dtype = DtQuint8, TensorShape = Shape(3, 3, cin, cout), TensorContent = ByteString.CopyFrom(q) };
        Add(graph, $"{name}/w_q", "Const", [], ("dtype", new AttrValue { Type = DtQuint8 }), ("value", new AttrValue { Tensor = quantized }));
        Add(graph, $"{name}/w_min", "Const", [], ("dtype", new AttrValue { Type = DtFloat }), ("value", new AttrValue { Tensor = FloatTensor([min]) }));
        Add(graph, $"{name}/w_max", "Const", [], ("dtype", new AttrValue { Type = DtFloat }), ("value", new AttrValue { Tensor = FloatTensor([max]) }));
        Add(graph, $"{name}/w", "Dequantize", [$"{name}/w_q", $"{name}/w_min", $"{name}/w_max"],
            ("T", new AttrValue { Type = DtQuint8 }), ("mode", Text("MIN_FIRST")));
        var bias = Enumerable.Range(0, cout).Select(_ => (float)(rng.NextDouble() * 0.02 - 0.01)).ToArray();
        Add(graph, $"{name}/b", "Const", [], ("dtype", new AttrValue { Type = DtFloat }), ("value", new AttrValue { Tensor = FloatTensor(bias, cout) }));
        var ones = new AttrValue { List = new AttrValue.Types.ListValue() };
        ones.List.I.AddRange([1, 1, 1, 1]);
        Add(graph, name, "Conv2D", [input, $"{name}/w"], T(), ("strides", ones), ("dilations", ones), ("padding", Text("SAME")), ("data_format", Text("NHWC")));
        Add(graph, $"{name}/biased", "BiasAdd", [name, $"{name}/b"], T(), ("data_format", Text("NHWC")));
        return $"{name}/biased";
    }

    private static void Add(GraphDef graph, string name, string op, string[] inputs, params (string Key, AttrValue Value)[] attrs)
    {
        var node = new NodeDef { Name = name, Op = op };
        node.Input.AddRange(inputs);
        foreach (var (k, v) in attrs)
        {
            node.Attr[k] = v;
        }
        graph.Node.Add(node);
    }

    private static (string, AttrValue) T() => ("T", new AttrValue { Type = DtFloat });

    private static AttrValue Text(string s) => new() { S = ByteString.CopyFromUtf8(s) };

    private static TensorShape Shape(params long[] dims)
    {
        var shape = new TensorShape();
        shape.Dim.AddRange(dims.Select(d => new TensorShape.Types.Dim { Size = d }));
        return shape;
    }

    private static Tensor FloatTensor(float[] values, params long[] dims) =>
        new() { Dtype = DtFloat, TensorShape = Shape(dims), TensorContent = ByteString.CopyFrom(MemoryMarshal.AsBytes<float>(values)) };
}
