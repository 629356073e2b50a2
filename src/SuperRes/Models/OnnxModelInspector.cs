using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SuperRes.Models.Onnx.Schema;

namespace SuperRes.Models;

/// <summary>
/// Reads an ONNX file's declared contract from its metadata without loading the weights and, only
/// where the file is silent, opens it in ONNX Runtime to read the scale from shapes or a tiny probe run.
/// </summary>
public static class OnnxModelInspector
{
    // Unknown fields discarded: the graph and its weights are skipped, not kept as unknown bytes.
    private static readonly MessageParser<ModelHeaderProto> HeaderParser = ModelHeaderProto.Parser.WithDiscardUnknownFields(true);

    public static ModelContract Inspect(string path, ModelOverrides overrides)
    {
        if (!File.Exists(path))
        {
            throw new ModelException($"The model file {path} does not exist.");
        }
        try
        {
            var (scale, channels, range) = ModelContract.FromProperties(ReadMetadata(path));
            scale = overrides.Scale ?? scale;
            if (scale is null)
            {
                using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
                using var session = new InferenceSession(path, options);
                scale = ScaleFromShapes(session) ?? ProbeScale(session);
            }
            return new ModelContract(scale.Value, overrides.Channels ?? channels ?? ChannelOrder.Rgb, overrides.Range ?? range ?? 1f);
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidProtocolBufferException)
        {
            throw new ModelException($"{Path.GetFileName(path)} is not a loadable ONNX model ({e.Message.Split('\n')[0].Trim()}); the file is corrupt or truncated, pull or import it again.", e);
        }
    }

    private static Dictionary<string, string> ReadMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        var header = HeaderParser.ParseFrom(stream);
        if (header.IrVersion == 0)
        {
            throw new ModelException($"{Path.GetFileName(path)} is not an ONNX model (it has no IR version); the file is corrupt or truncated, pull or import it again.");
        }
        return header.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    private static int? ScaleFromShapes(InferenceSession session)
    {
        var input = session.InputMetadata.Values.First().Dimensions;
        var output = session.OutputMetadata.Values.First().Dimensions;
        if (input.Length == 4 && output.Length == 4 && input[2] > 0 && output[2] > 0 && output[2] % input[2] == 0)
        {
            return output[2] / input[2];
        }
        return null;
    }

    private static int ProbeScale(InferenceSession session)
    {
        const int probe = 16;
        var name = session.InputMetadata.Keys.First();
        using var value = OrtValue.CreateTensorValueFromMemory(new float[3 * probe * probe], [1, 3, probe, probe]);
        using var outputs = session.Run(new RunOptions(), [name], [value], [session.OutputMetadata.Keys.First()]);
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        if (shape.Length != 4 || shape[2] % probe != 0)
        {
            throw new ModelException("Cannot tell the model's scale from its output shape; pass it with -s.");
        }
        return (int)(shape[2] / probe);
    }
}
