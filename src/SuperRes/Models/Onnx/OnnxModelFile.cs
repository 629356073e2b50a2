using SuperRes.Models.Onnx.Schema;

namespace SuperRes.Models.Onnx;

/// <summary>Reads a whole ONNX file (graph and weights) with the generated protobuf types.</summary>
internal static class OnnxModelFile
{
    public static ModelProto Read(string path)
    {
        using var stream = File.OpenRead(path);
        return ModelProto.Parser.ParseFrom(stream);
    }
}
