using Google.Protobuf;
using SuperRes.Models.Onnx.Schema;

namespace SuperRes.Models.Onnx;

/// <summary>Reads ONNX files with the generated protobuf types: whole, or only the graph's nodes. A file that does not
/// parse (truncated, not ONNX) is a <see cref="ModelException"/>, like any other unusable model file.</summary>
internal static class OnnxModelFile
{
    private static readonly MessageParser<ModelNodesProto> NodesParser = ModelNodesProto.Parser.WithDiscardUnknownFields(true);

    /// <summary>Graph and weights.</summary>
    public static ModelProto Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(path, () => ModelProto.Parser.ParseFrom(stream));
    }

    /// <summary>The graph's nodes without the weights, which are skipped rather than copied (a large model's
    /// file is mostly weights).</summary>
    public static IReadOnlyList<NodeProto> ReadNodes(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(path, () => NodesParser.ParseFrom(stream)).Graph?.Node ?? [];
    }

    private static T Parse<T>(string path, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelException($"{Path.GetFileName(path)} is not a readable ONNX model ({e.Message.Split('.')[0]}); the file is corrupt or truncated.", e);
        }
    }
}
