using SuperRes.Models.Onnx.Schema;

namespace SuperRes.Models.Quantization;

/// <summary>
/// The marks a checked int8 model carries in its ONNX metadata: that the quantizer wrote it, and the loss its guard
/// measured. <see cref="Precision.Auto"/> takes only files with these marks, wherever they are.
/// </summary>
public static class Int8Copy
{
    public const string PrecisionKey = "superres.precision";
    public const string LossKey = "superres.int8.loss_db";
    public const string LayersKey = "superres.int8.layers";

    /// <summary>
    /// The most a copy may have lost for <see cref="Precision.Auto"/> to take it: the quantizer's default guard. A copy
    /// forced through with a looser --max-loss (a benchmark's) runs only when int8 is asked for by name.
    /// </summary>
    public const double AutoMaxLossDb = 0.1;

    /// <summary>Where <c>models quantize FILE</c> writes by default, and where a file's int8 copy is looked for.</summary>
    public static string PathFor(string floatPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(floatPath))!, Path.GetFileNameWithoutExtension(floatPath) + ".int8.onnx");

    // Requests resolve their model each time: remember each file's answer until the file changes.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, long, DateTime), double?> Seen = new();

    /// <summary>Whether <paramref name="path"/> is an int8 model that the quantizer checked and marked.</summary>
    public static bool IsInt8(string path) => CheckedLoss(path) is not null;

    /// <summary>The guard's measured loss if <paramref name="path"/> is a checked int8 model, else null.</summary>
    public static double? CheckedLoss(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? Seen.GetOrAdd((file.FullName, file.Length, file.LastWriteTimeUtc), _ => ReadLoss(file.FullName)) : null;
    }

    private static double? ReadLoss(string path)
    {
        ModelHeaderProto header;
        try
        {
            using var stream = File.OpenRead(path);
            header = ModelHeaderProto.Parser.WithDiscardUnknownFields(true).ParseFrom(stream);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null; // not a readable model: loading it reports the damage, with how to repair it
        }
        var props = header.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return props.GetValueOrDefault(PrecisionKey) == "int8"
            && double.TryParse(props.GetValueOrDefault(LossKey), System.Globalization.CultureInfo.InvariantCulture, out var loss)
            ? loss
            : null;
    }
}
