using Google.Protobuf;
using SuperRes.Models.Onnx.Schema;

namespace SuperRes.Models.Onnx;

/// <summary>Reads ONNX files with the generated protobuf types: whole, or only the graph's nodes.</summary>
internal static class OnnxModelFile
{
    private static readonly MessageParser<ModelNodesProto> NodesParser = ModelNodesProto.Parser.WithDiscardUnknownFields(true);

    /// <summary>Graph and weights.</summary>
    public static ModelProto Read(string path)
    {
        using var stream = File.OpenRead(path);
        return ModelProto.Parser.ParseFrom(stream);
    }

    /// <summary>The graph's nodes without the weights, which are skipped rather than copied (a large model's
    /// file is mostly weights).</summary>
    public static IReadOnlyList<NodeProto> ReadNodes(string path)
    {
        using var stream = File.OpenRead(path);
        return NodesParser.ParseFrom(stream).Graph?.Node ?? [];
    }
}
