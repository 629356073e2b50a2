using System.Runtime.InteropServices;
using Google.Protobuf;
using SuperRes.Models.Onnx.Schema;

namespace SuperRes.Models.Onnx;

/// <summary>Reads and makes the tensors a quantized graph needs, whether an exporter stored them as raw bytes or typed fields.</summary>
internal static class OnnxTensors
{
    public static float[] Floats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new ModelException($"The tensor {tensor.Name} is not float32 (type {tensor.DataType}); only float32 models can be quantized.");
        }
        return tensor.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
            : [.. tensor.FloatData];
    }

    public static TensorProto Make<T>(string name, ReadOnlySpan<T> values, TensorProto.Types.DataType type, params long[] dims)
        where T : unmanaged
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    public static TensorProto Scalar(string name, float value) => Make(name, [value], TensorProto.Types.DataType.Float);

    public static TensorProto Scalar(string name, byte value) => Make(name, [value], TensorProto.Types.DataType.Uint8);
}
