using Google.Protobuf;
using SuperRes.Models.Onnx.Schema;

namespace SuperRes.Models.Tools.Onnx;

/// <summary>
/// Builds an ONNX model one node at a time. Keeps the protobuf details (attribute types,
/// raw tensor bytes, dynamic dimensions) out of the converters and model generators.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    // Opset 17 has every operator we emit (Conv, Relu, Concat, Add, Mul, DepthToSpace with mode)
    // and is read by ONNX Runtime 1.31 and OpenCV 4.13's importer.
    public const int OpsetVersion = 17;
    private const long IrVersion = 8;

    private readonly GraphProto graph;
    private readonly Dictionary<string, string> metadata = new(StringComparer.Ordinal);
    private int nextId;

    public OnnxGraphBuilder(string graphName)
    {
        graph = new GraphProto { Name = graphName };
    }

    /// <summary>Adds a float32 image input of shape [N, channels, H, W] with dynamic N, H and W.</summary>
    public string AddImageInput(string name, int channels)
    {
        graph.Input.Add(ImageValueInfo(name, channels));
        return name;
    }

    public void AddImageOutput(string name, int channels) => graph.Output.Add(ImageValueInfo(name, channels));

    public void SetMetadata(string key, string value) => metadata[key] = value;

    public string AddInitializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var bytes = new byte[values.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes);
        tensor.RawData = ByteString.CopyFrom(bytes);
        graph.Initializer.Add(tensor);
        return name;
    }

    public string AddNode(string opType, IEnumerable<string> inputs, string? output = null, string? name = null,
        params AttributeProto[] attributes)
    {
        output ??= $"{opType.ToLowerInvariant()}_{nextId++}";
        var node = new NodeProto { OpType = opType, Name = name ?? output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public ModelProto Build(string producerVersion = "1")
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "SuperRes",
            ProducerVersion = producerVersion,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return model;
    }

    public void Save(string path)
    {
        var model = Build();
        var tmp = $"{path}.{Guid.NewGuid():N}.tmp"; // unique: two processes may convert at once
        using (var stream = File.Create(tmp))
        {
            model.WriteTo(stream);
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static ValueInfoProto ImageValueInfo(string name, int channels)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = channels });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "H" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "W" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }
}
