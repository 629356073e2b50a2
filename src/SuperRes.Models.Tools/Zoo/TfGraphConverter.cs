using System.Runtime.InteropServices;
using SuperRes.Models.Onnx;
using SuperRes.Models.Tools.Onnx;
using SuperRes.Models.Tools.Zoo.Schema;

namespace SuperRes.Models.Tools.Zoo;

/// <summary>
/// Converts an OpenCV zoo TensorFlow graph (.pb: EDSR, ESPCN, FSRCNN, LapSRN) to an ONNX model that does the whole
/// of dnn_superres's work in one graph, so it runs on ONNX Runtime (and in int8) like any other model:
/// <list type="bullet">
/// <item>EDSR: the DIV2K mean subtracted before the network and added after, as dnn_superres does;</item>
/// <item>ESPCN, FSRCNN, LapSRN (luma models): OpenCV's BGR→YCrCb, the network on Y/255, the chroma upscaled
/// bilinearly (cv::resize's default) and the result converted back to BGR.</item>
/// </list>
/// The graph's NHWC layout becomes ONNX's NCHW: filters are transposed, per-channel constants reshaped, and
/// TensorFlow's depth_to_space is ONNX's DepthToSpace in DCR mode. The model takes and gives BGR in [0, 255].
/// </summary>
internal static class TfGraphConverter
{
    // OpenCV's YCrCb (BT.601, full range): Y = 0.299 R + 0.587 G + 0.114 B, Cr = 0.713 (R - Y), Cb = 0.564 (B - Y).
    private const float Kr = 0.299f, Kg = 0.587f, Kb = 0.114f, CrScale = 0.713f, CbScale = 0.564f;
    private const float CrToR = 1.403f, CrToG = -0.714f, CbToG = -0.344f, CbToB = 1.773f;

    private static readonly HashSet<string> Binary = ["Add", "AddV2", "BiasAdd", "Sub", "Mul", "Maximum", "Minimum"];
    private static readonly Dictionary<string, string> Unary = new() { ["Relu"] = "Relu", ["Abs"] = "Abs", ["Tanh"] = "Tanh", ["Sigmoid"] = "Sigmoid", ["Neg"] = "Neg" };

    public static ModelContract Convert(string pbPath, string algorithm, int scale, string onnxPath)
    {
        GraphDef graph;
        try
        {
            using var stream = File.OpenRead(pbPath);
            graph = GraphDef.Parser.ParseFrom(stream);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new ModelException($"{Path.GetFileName(pbPath)} is not a TensorFlow graph ({e.Message}).", e);
        }
        var converter = new Conversion(graph, Path.GetFileName(pbPath));
        var g = new OnnxGraphBuilder(Path.GetFileNameWithoutExtension(pbPath));
        var input = g.AddImageInput("input", 3);
        bool luma = algorithm is "espcn" or "fsrcnn" or "lapsrn";
        string output;
        if (luma)
        {
            // Y / 255 for the network; chroma centred on zero (Cr - 128, Cb - 128), kept for the end.
            var y = g.Conv(input, "to_y", [Kb / 255f, Kg / 255f, Kr / 255f], [], 3, 1, 1, 1);
            var chroma = g.Conv(input, "to_crcb",
                [-Kb * CrScale, -Kg * CrScale, (1 - Kr) * CrScale, (1 - Kb) * CbScale, -Kg * CbScale, -Kr * CbScale], [], 3, 2, 1, 1);
            var yOut = converter.Emit(g, y);
            var scale255 = g.AddInitializer("y_to_255", [255f]);
            var y255 = g.AddNode("Mul", [yOut, scale255], "y_255");
            var low = g.AddInitializer("clip_low", [0f]);
            var high = g.AddInitializer("clip_high", [255f]);
            var yClipped = g.AddNode("Clip", [y255, low, high], "y_clipped"); // dnn_superres saturates Y to 8 bits
            var scales = g.AddInitializer("chroma_scales", [1f, 1f, scale, scale], 4);
            var chromaUp = g.AddNode("Resize", [chroma, "", scales], "crcb_up", null,
                OnnxGraphBuilder.Text("mode", "linear"), OnnxGraphBuilder.Text("coordinate_transformation_mode", "half_pixel"));
            var ycc = g.AddNode("Concat", [yClipped, chromaUp], "ycrcb", null, OnnxGraphBuilder.Int("axis", 1));
            output = g.Conv(ycc, "to_bgr", [1f, 0f, CbToB, 1f, CrToG, CbToG, 1f, CrToR, 0f], [], 3, 3, 1, 1);
        }
        else if (algorithm == "edsr")
        {
            var mean = g.AddInitializer("mean", EdsrModelBuilder.Mean, 1, 3, 1, 1);
            var centred = g.AddNode("Sub", [input, mean], "centred");
            output = g.AddNode("Add", [converter.Emit(g, centred), mean], "with_mean");
        }
        else
        {
            throw new ModelException($"Unknown dnn_superres algorithm \"{algorithm}\"; use edsr, espcn, fsrcnn or lapsrn.");
        }
        g.AddNode("Identity", [output], "output");
        g.AddImageOutput("output", 3);
        var contract = new ModelContract(scale, ChannelOrder.Bgr, 255f);
        foreach (var (k, v) in contract.ToProperties())
        {
            g.SetMetadata(k, v);
        }
        g.SetMetadata("superres.source", $"{Path.GetFileName(pbPath)} (TensorFlow, dnn_superres {algorithm})");
        g.Save(onnxPath);
        return contract;
    }

    /// <summary>One graph's conversion: its constants, and the ONNX tensor each converted TensorFlow node became.</summary>
    private sealed class Conversion(GraphDef graph, string file)
    {
        private readonly Dictionary<string, NodeDef> nodes = graph.Node.GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.First());
        private readonly Dictionary<string, string> emitted = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (float[] Values, long[] Dims)> folded = new(StringComparer.Ordinal);
        private readonly ILookup<string, NodeDef> consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Name: Clean(i), Node: n))).ToLookup(p => p.Name, p => p.Node);

        /// <summary>Emits the network from its placeholder (fed <paramref name="input"/>) to its output; returns the output tensor.</summary>
        public string Emit(OnnxGraphBuilder g, string input)
        {
            var placeholder = graph.Node.FirstOrDefault(n => n.Op == "Placeholder")
                ?? throw new ModelException($"{file} has no input (Placeholder) node.");
            emitted[placeholder.Name] = input;
            var output = nodes.GetValueOrDefault("NCHW_output")
                ?? graph.Node.LastOrDefault(n => n.Op != "Const" && !consumers[n.Name].Any())
                ?? throw new ModelException($"{file} has no output node.");
            return Tensor(g, output.Name);
        }

        private string Tensor(OnnxGraphBuilder g, string name)
        {
            name = Clean(name);
            if (emitted.TryGetValue(name, out var done))
            {
                return done;
            }
            var node = nodes.GetValueOrDefault(name) ?? throw new ModelException($"{file} refers to a node {name} it does not have.");
            string result = node.Op switch
            {
                "Identity" => Tensor(g, node.Input[0]),
                // The graphs end in a transpose from TensorFlow's NHWC to NCHW; our tensors are NCHW throughout.
                "Transpose" when IsNhwcToNchw(node) => Tensor(g, node.Input[0]),
                "Conv2D" => Conv(g, node),
                "DepthToSpace" => g.AddNode("DepthToSpace", [Tensor(g, node.Input[0])], Safe(node.Name), null,
                    OnnxGraphBuilder.Int("blocksize", node.Attr["block_size"].I), OnnxGraphBuilder.Text("mode", "DCR")),
                _ when Unary.TryGetValue(node.Op, out var op) => g.AddNode(op, [Tensor(g, node.Input[0])], Safe(node.Name)),
                _ when Binary.Contains(node.Op) => BinaryOp(g, node),
                "Const" or "Dequantize" => g.AddInitializer(Safe(node.Name), Constant(name).Values, PerChannel(Constant(name).Dims)),
                _ => throw new ModelException($"{file} uses the TensorFlow operation {node.Op} ({node.Name}), which SuperRes cannot convert; run it on dnn_superres (import it without conversion) instead."),
            };
            emitted[name] = result;
            return result;
        }

        private string Conv(OnnxGraphBuilder g, NodeDef node)
        {
            if (node.Attr.TryGetValue("strides", out var strides) && strides.List.I.Any(s => s != 1)
                || node.Attr.TryGetValue("data_format", out var format) && format.S.ToStringUtf8() != "NHWC")
            {
                throw new ModelException($"{file}: the convolution {node.Name} is strided or not NHWC, which SuperRes cannot convert.");
            }
            var filter = Constant(Clean(node.Input[1]));
            if (filter.Dims.Length != 4)
            {
                throw new ModelException($"{file}: the filter of {node.Name} is not a 4-D constant.");
            }
            int kh = (int)filter.Dims[0], kw = (int)filter.Dims[1], cin = (int)filter.Dims[2], cout = (int)filter.Dims[3];
            int dilation = node.Attr.TryGetValue("dilations", out var d) && d.List.I.Count == 4 ? (int)d.List.I[1] : 1;
            bool valid = node.Attr.TryGetValue("padding", out var padding) && padding.S.ToStringUtf8() == "VALID";
            if (valid && (kh > 1 || kw > 1))
            {
                throw new ModelException($"{file}: the convolution {node.Name} has VALID padding, which changes the image size; SuperRes cannot convert it.");
            }
            // A bias added straight after (Add or BiasAdd of a per-channel constant) becomes the convolution's own bias.
            var next = consumers[node.Name].ToList();
            float[] bias = [];
            if (next is [{ Op: "Add" or "AddV2" or "BiasAdd" } add] && OtherInput(add, node.Name) is { } other
                && TryConstant(other, out var b) && b.Values.Length == cout && b.Dims.Length == 1)
            {
                bias = b.Values;
            }
            var weights = ConvLayers.HwioToOihw(filter.Values, kh, kw, cin, cout);
            var output = g.Conv(Tensor(g, node.Input[0]), Safe(node.Name), weights, bias, cin, cout, kh, kw, dilation);
            if (bias.Length > 0)
            {
                emitted[next[0].Name] = output; // the Add is done
            }
            return output;
        }

        private string BinaryOp(OnnxGraphBuilder g, NodeDef node)
        {
            string op = node.Op switch { "AddV2" or "BiasAdd" => "Add", "Maximum" => "Max", "Minimum" => "Min", _ => node.Op };
            // Converting an operand may fold this node (a bias add) into its convolution: then it is done.
            var a = Tensor(g, node.Input[0]);
            if (emitted.TryGetValue(node.Name, out var folded))
            {
                return folded;
            }
            return g.AddNode(op, [a, Tensor(g, node.Input[1])], Safe(node.Name));
        }

        private string? OtherInput(NodeDef node, string name) =>
            node.Input.Count == 2 ? node.Input.Select(Clean).FirstOrDefault(i => i != name) : null;

        private bool TryConstant(string name, out (float[] Values, long[] Dims) constant)
        {
            var node = nodes.GetValueOrDefault(name);
            while (node is { Op: "Identity" })
            {
                node = nodes.GetValueOrDefault(Clean(node.Input[0]));
            }
            if (node is { Op: "Const" or "Dequantize" })
            {
                constant = Constant(node.Name);
                return true;
            }
            constant = default;
            return false;
        }

        /// <summary>A constant's float values and TensorFlow dimensions; 8-bit weights are dequantized here.</summary>
        private (float[] Values, long[] Dims) Constant(string name)
        {
            name = Clean(name);
            if (folded.TryGetValue(name, out var known))
            {
                return known;
            }
            var node = nodes[name];
            var result = node.Op switch
            {
                "Identity" => Constant(node.Input[0]),
                "Const" => Read(node.Attr["value"].Tensor, node.Name, quantized: false),
                "Dequantize" => Dequantize(node),
                _ => throw new ModelException($"{file}: {node.Name} ({node.Op}) was expected to be a constant."),
            };
            folded[name] = result;
            return result;
        }

        /// <summary>
        /// TensorFlow's quantize_weights stores weights as quint8 with their range. Dequantize (MIN_FIRST) maps q to
        /// step x (q + round(min / step)), step = (max - min) / 255: the minimum snapped to the step grid, as
        /// TensorFlow and OpenCV's importer compute it.
        /// </summary>
        private (float[] Values, long[] Dims) Dequantize(NodeDef node)
        {
            var q = Read(nodes[Clean(node.Input[0])].Attr["value"].Tensor, node.Name, quantized: true);
            float min = Constant(node.Input[1]).Values[0], max = Constant(node.Input[2]).Values[0];
            float step = (max - min) / 255f;
            float offset = step > 0 ? step * MathF.Round(min / step, MidpointRounding.ToEven) : min;
            return (q.Values.Select(v => step * v + offset).ToArray(), q.Dims);
        }

        private (float[] Values, long[] Dims) Read(Tensor tensor, string name, bool quantized)
        {
            var dims = tensor.TensorShape?.Dim.Select(d => d.Size).ToArray() ?? [];
            long count = dims.Aggregate(1L, (a, b) => a * b);
            const int Float = 1, Int32 = 3, Quint8 = 12, Uint8 = 4;
            float[] values;
            if (!quantized && tensor.Dtype == Float)
            {
                values = tensor.TensorContent.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.TensorContent.Span).ToArray() : [.. tensor.FloatVal];
            }
            else if (!quantized && tensor.Dtype == Int32)
            {
                values = tensor.TensorContent.Length > 0 ? MemoryMarshal.Cast<byte, int>(tensor.TensorContent.Span).ToArray().Select(v => (float)v).ToArray() : [.. tensor.IntVal.Select(v => (float)v)];
            }
            else if (quantized && tensor.Dtype is Quint8 or Uint8)
            {
                values = tensor.TensorContent.Length > 0 ? tensor.TensorContent.Span.ToArray().Select(b => (float)b).ToArray() : [.. tensor.IntVal.Select(v => (float)v)];
            }
            else
            {
                throw new ModelException($"{file}: the constant {name} has TensorFlow type {tensor.Dtype}, which SuperRes cannot convert.");
            }
            if (values.Length == 1 && count > 1)
            {
                values = Enumerable.Repeat(values[0], (int)count).ToArray(); // TensorFlow stores a filled tensor as one value
            }
            return (values, dims);
        }

        private bool IsNhwcToNchw(NodeDef node) =>
            node.Input.Count == 2 && TryConstant(Clean(node.Input[1]), out var perm) && perm.Values.SequenceEqual([0f, 3f, 1f, 2f]);

        private static string Clean(string input) => input.TrimStart('^').Split(':')[0];

        private static string Safe(string name) => "tf/" + name;
    }

    /// <summary>TensorFlow's per-channel constants are [C] (NHWC's last axis); in NCHW they broadcast as [C, 1, 1].</summary>
    private static long[] PerChannel(long[] dims) => dims.Length == 1 && dims[0] > 1 ? [dims[0], 1, 1] : dims;
}
