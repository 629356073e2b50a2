using Google.Protobuf;
using SuperRes.Models.Onnx.Schema;
using SuperRes.Models.Quantization;

namespace SuperRes.Models.Onnx;

/// <summary>
/// Two exports of one graph mixed weight by weight, w = (1 - s) · a + s · b: how a restoration strength between a
/// model and its restoring fine-tune is made (as Real-ESRGAN's denoise strength). The fine-tune started from the
/// other's weights, so the two lie in one basin and every mix between them is itself a working model.
/// </summary>
public static class WeightBlend
{
    public const string StrengthKey = "superres.restore";

    /// <summary>Writes the mix of <paramref name="from"/> (s = 0) and <paramref name="to"/> (s = 1) to <paramref name="output"/>.</summary>
    /// <exception cref="ModelException">The two files are not the same graph.</exception>
    public static void Write(string from, string to, double strength, string output)
    {
        if (strength is < 0 or > 1 || double.IsNaN(strength))
        {
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "A strength is between 0 and 1.");
        }
        var a = OnnxModelFile.Read(from);
        var b = OnnxModelFile.Read(to);
        CheckSameGraph(a, b, from, to);
        var others = b.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var tensor in a.Graph.Initializer)
        {
            var other = others[tensor.Name];
            if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            {
                if (!tensor.Equals(other))
                {
                    throw new ModelException($"{Path.GetFileName(from)} and {Path.GetFileName(to)} differ in the non-float tensor {tensor.Name}, which cannot be mixed.");
                }
                continue;
            }
            float[] x = OnnxTensors.Floats(tensor), y = OnnxTensors.Floats(other);
            var mixed = new float[x.Length];
            float t = (float)strength, u = 1 - t;
            for (int i = 0; i < x.Length; i++)
            {
                mixed[i] = u * x[i] + t * y[i];
            }
            tensor.FloatData.Clear();
            tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(mixed.AsSpan()));
        }
        var strengthEntry = a.MetadataProps.FirstOrDefault(p => p.Key == StrengthKey);
        if (strengthEntry is null)
        {
            a.MetadataProps.Add(strengthEntry = new StringStringEntryProto { Key = StrengthKey });
        }
        strengthEntry.Value = strength.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        var tmp = $"{output}.{Guid.NewGuid():N}.tmp";
        using (var stream = File.Create(tmp))
        {
            a.WriteTo(stream);
        }
        File.Move(tmp, output, overwrite: true); // another process may be writing the same mix: either copy is whole
    }

    private static void CheckSameGraph(ModelProto a, ModelProto b, string from, string to)
    {
        var left = a.Graph.Node.Select(n => (n.OpType, string.Join(",", n.Input))).ToList();
        var right = b.Graph.Node.Select(n => (n.OpType, string.Join(",", n.Input))).ToList();
        var shapes = b.Graph.Initializer.ToDictionary(t => t.Name, t => string.Join("x", t.Dims), StringComparer.Ordinal);
        bool same = left.SequenceEqual(right) && a.Graph.Initializer.Count == shapes.Count
            && a.Graph.Initializer.All(t => shapes.TryGetValue(t.Name, out var dims) && dims == string.Join("x", t.Dims));
        if (!same)
        {
            throw new ModelException($"{Path.GetFileName(from)} and {Path.GetFileName(to)} are not the same network, so their weights cannot be mixed.");
        }
    }
}
