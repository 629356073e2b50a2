using Google.Protobuf;
using SuperRes.Inference;
using SuperRes.Models;
using SuperRes.Models.Onnx;
using SuperRes.Models.Tools.Onnx;
using SuperRes.Models.Tools.Zoo;
using SuperRes.Models.Tools.Zoo.Schema;
using SuperRes.Models.Zoo;
using SuperRes.Testing;
using SuperRes.Tests.Support;

namespace SuperRes.Models.Tools.Tests.Zoo;

/// <summary>The OpenCV zoo's TensorFlow graphs converted to ONNX compute what dnn_superres computes.</summary>
public class TfGraphConverterTests
{
    [Theory]
    [InlineData("FSRCNN_x3.pb", "fsrcnn", 3)]
    [InlineData("FSRCNN-small_x2.pb", "fsrcnn", 2)]
    [InlineData("ESPCN_x3.pb", "espcn", 3)]
    [InlineData("LapSRN_x2.pb", "lapsrn", 2)]
    [InlineData("LapSRN_x4.pb", "lapsrn", 4)]
    public void Converted_graph_matches_dnn_superres_pixel_for_pixel_within_rounding(string file, string algorithm, int scale)
    {
        using var folder = new TempFolder();
        var onnx = folder.File("converted.onnx");
        var contract = TfGraphConverter.Convert(TestData.Zoo(file), algorithm, scale, onnx);
        using var original = new OpenCvZooEngine(TestData.Zoo(file), algorithm, scale);
        double levels = ZooConversion.Difference(original, onnx, contract);
        Assert.True(levels <= ZooConversion.MaxLevels, $"{file}: largest difference {levels} levels");
    }

    [Fact]
    public void An_edsr_graph_with_8_bit_weights_converts_to_what_dnn_superres_computes()
    {
        // The recipe's EDSR_x3.pb stores its weights as quint8 behind Dequantize (TensorFlow's quantize_weights).
        using var folder = new TempFolder();
        var pb = folder.File("EDSR_x3.pb");
        var shape = new EdsrModelBuilder.Shape(Blocks: 2, Filters: 16, Scale: 3);
        EdsrGraphDefBuilder.Write(pb, shape);
        var onnx = folder.File("edsr.onnx");
        var contract = TfGraphConverter.Convert(pb, "edsr", 3, onnx);
        using var original = new OpenCvZooEngine(pb, "edsr", 3);
        double levels = ZooConversion.Difference(original, onnx, contract);
        Assert.True(levels <= ZooConversion.MaxLevels, $"largest difference {levels} levels");
        Assert.Equal(shape.MacsPerInputPixel, SuperRes.Models.Onnx.OnnxCost.MacsPerInputPixel(onnx));
    }

    [Theory]
    [InlineData("FSRCNN_x3.pb", "fsrcnn", 3)]
    [InlineData("ESPCN_x3.pb", "espcn", 3)]
    [InlineData("LapSRN_x2.pb", "lapsrn", 2)]
    [InlineData("LapSRN_x4.pb", "lapsrn", 4)]
    public async Task Converted_graph_scores_within_five_hundredths_of_a_dB_of_dnn_superres_on_Set5(string file, string algorithm, int scale)
    {
        using var folder = new TempFolder();
        var onnx = folder.File(Path.ChangeExtension(file, ".onnx"));
        TfGraphConverter.Convert(TestData.Zoo(file), algorithm, scale, onnx);
        double original = await ProtocolBench.MeanPsnr(TestData.Zoo(file), scale, tile: 0);
        double converted = await ProtocolBench.MeanPsnr(onnx, scale, tile: 0);
        Assert.True(Math.Abs(converted - original) <= 0.05, $"{file}: dnn_superres {original:F3} dB, converted {converted:F3} dB");
    }

    [Fact]
    public void A_graph_with_an_operation_the_converter_lacks_is_refused_by_name()
    {
        using var folder = new TempFolder();
        var pb = folder.File("odd_x2.pb");
        var graph = new GraphDef();
        graph.Node.Add(new NodeDef { Name = "input", Op = "Placeholder" });
        var odd = new NodeDef { Name = "odd", Op = "Softplus" };
        odd.Input.Add("input");
        graph.Node.Add(odd);
        File.WriteAllBytes(pb, graph.ToByteArray());
        var error = Assert.Throws<ModelException>(() => TfGraphConverter.Convert(pb, "fsrcnn", 2, folder.File("odd.onnx")));
        Assert.Contains("Softplus", error.Message);
    }
}
