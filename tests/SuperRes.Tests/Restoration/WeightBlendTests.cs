using Google.Protobuf;
using SuperRes.Models;
using SuperRes.Models.Onnx;
using SuperRes.Models.Onnx.Schema;
using SuperRes.Models.Quantization;

namespace SuperRes.Tests.Restoration;

/// <summary>Mixing two exports of one graph weight by weight: the restoration strength's models.</summary>
public class WeightBlendTests
{
    private static string Shipped => Path.Combine(TestPaths.RepoRoot, "models", "superres-edsr-x3.onnx");

    [Fact]
    public void Each_float_weight_is_the_mix_and_the_ends_are_the_two_files()
    {
        using var folder = new TempFolder();
        string other = folder.File("other.onnx");
        WriteScaled(Shipped, other, 0.5f); // the same graph with every float weight halved
        var a = Floats(Shipped);
        var b = Floats(other);

        foreach (var (strength, name) in new[] { (0.0, "s0"), (1.0, "s1"), (0.3, "s03") })
        {
            string mixed = folder.File(name + ".onnx");
            WeightBlend.Write(Shipped, other, strength, mixed);
            var m = Floats(mixed);
            Assert.Equal(a.Keys, m.Keys);
            foreach (var (key, values) in m)
            {
                for (int i = 0; i < values.Length; i++)
                {
                    float expected = (float)(1 - strength) * a[key][i] + (float)strength * b[key][i];
                    Assert.Equal(expected, values[i]);
                }
            }
            var meta = OnnxModelFile.Read(mixed).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal(strength.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), meta[WeightBlend.StrengthKey]);
            Assert.Equal("3", meta["superres.scale"]); // the rest of the contract is kept
        }
    }

    [Fact]
    public void Two_different_networks_are_not_mixed()
    {
        using var folder = new TempFolder();
        var x2 = Path.Combine(TestPaths.RepoRoot, "models", "superres-edsr-x2.onnx");
        var e = Assert.Throws<ModelException>(() => WeightBlend.Write(Shipped, x2, 0.5, folder.File("mix.onnx")));
        Assert.Equal("superres-edsr-x3.onnx and superres-edsr-x2.onnx are not the same network, so their weights cannot be mixed.", e.Message);
        Assert.False(File.Exists(folder.File("mix.onnx")));
    }

    private static Dictionary<string, float[]> Floats(string path) =>
        OnnxModelFile.Read(path).Graph.Initializer
            .Where(t => t.DataType == (int)TensorProto.Types.DataType.Float)
            .ToDictionary(t => t.Name, OnnxTensors.Floats);

    private static void WriteScaled(string source, string output, float factor)
    {
        var model = OnnxModelFile.Read(source);
        foreach (var t in model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float))
        {
            var values = OnnxTensors.Floats(t).Select(v => v * factor).ToArray();
            t.FloatData.Clear();
            t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
        using var stream = File.Create(output);
        model.WriteTo(stream);
    }
}
