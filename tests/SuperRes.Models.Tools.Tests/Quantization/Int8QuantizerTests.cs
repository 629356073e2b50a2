using SuperRes.Inference;
using SuperRes.Models;
using SuperRes.Models.Onnx;
using SuperRes.Models.Quantization;
using SuperRes.Models.Tools.Onnx;
using SuperRes.Models.Tools.Quantization;
using SuperRes.Testing;
using SuperRes.Tests.Support;

namespace SuperRes.Models.Tools.Tests.Quantization;

/// <summary>The int8 quantizer: the graph it writes, the guard that refuses lossy copies, and how precision is chosen.</summary>
public class Int8QuantizerTests
{
    private const double Guard = 0.1;

    [Fact]
    public async Task Every_quantized_convolution_sits_between_quantize_dequantize_pairs()
    {
        using var folder = new TempFolder();
        var (floatFile, report) = await QuantizeDefaultX3(folder);
        Assert.True(report.Written, string.Join("; ", report.Lines()));

        var model = OnnxModelFile.Read(report.Output);
        var producers = model.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var consumers = model.Graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);
        var convs = model.Graph.Node.Where(n => n.OpType == "Conv").ToList();
        Assert.Equal(report.Accepted!.QuantizedConvolutions, convs.Count(c => producers.TryGetValue(c.Input[1], out var p) && p.OpType == "DequantizeLinear"));
        foreach (var conv in convs.Where(c => producers[c.Input[1]].OpType == "DequantizeLinear"))
        {
            // Activation in: Q then DQ. Weight: int8 per output channel. Bias: int32. Activation out: Q (after a ReLU if any).
            var input = producers[conv.Input[0]];
            Assert.Equal("DequantizeLinear", input.OpType);
            Assert.Equal("QuantizeLinear", producers[input.Input[0]].OpType);
            var weight = initializers[producers[conv.Input[1]].Input[0]];
            Assert.Equal(3, weight.DataType); // int8
            Assert.Equal(weight.Dims[0], initializers[producers[conv.Input[1]].Input[1]].Dims.Single());
            if (conv.Input.Count > 2)
            {
                Assert.Equal(6, initializers[producers[conv.Input[2]].Input[0]].DataType); // int32
            }
            var next = consumers[conv.Output[0]].Single();
            var after = next.OpType == "Relu" ? consumers[next.Output[0]].Single() : next;
            Assert.Equal("QuantizeLinear", after.OpType);
        }
        Assert.DoesNotContain(model.Graph.Initializer, t => t.DataType == 1 && t.Dims.Count == 4); // no float weights left behind
        Assert.NotNull(Int8Copy.CheckedLoss(report.Output));
        Assert.Equal(OnnxCost.MacsPerInputPixel(floatFile), OnnxCost.MacsPerInputPixel(report.Output));
    }

    [Fact]
    public async Task The_guards_decision_on_the_default_model_matches_its_measured_Set5_loss()
    {
        using var folder = new TempFolder();
        var (floatFile, report) = await QuantizeDefaultX3(folder);
        double fp32 = await ProtocolBench.MeanPsnr(floatFile, 3, tile: 128);
        double int8 = report.Written ? await ProtocolBench.MeanPsnr(report.Output, 3, tile: 128) : fp32;
        double loss = fp32 - int8;
        var numbers = $"Set5 x3 fp32 {fp32:F3} dB, int8 {int8:F3} dB (loss {loss:F3}); guard: {string.Join("; ", report.Lines())}";
        Assert.True(report.Written == loss <= Guard, numbers);
        Assert.True(report.Written, numbers); // superres-edsr is expected to quantize within the guard
    }

    [Fact]
    public void A_model_hostile_to_int8_is_refused_with_its_numbers_and_nothing_is_written()
    {
        using var folder = new TempFolder();
        var hostile = folder.File("hostile.onnx");
        HostileToInt8Model.Write(hostile);
        var output = folder.File("hostile.int8.onnx");

        var report = Int8Quantizer.Quantize(hostile, new ModelContract(2, ChannelOrder.Rgb, 1f), output, new QuantizationOptions { MaxLossDb = Guard });

        Assert.False(report.Written);
        Assert.False(File.Exists(output));
        Assert.Equal(2, report.Attempts.Count); // every convolution, then all but the first and last
        Assert.All(report.Attempts, a => Assert.True(a.LossDb > 3, string.Join("; ", report.Lines())));
        Assert.All(report.Attempts, a => Assert.True(a.FloatPsnr > 25, $"the float model is a fair upscaler: {a.FloatPsnr:F2} dB"));
    }

    [Fact]
    public async Task Int8_is_taken_only_where_a_checked_copy_exists_and_auto_only_where_it_pays()
    {
        using var folder = new TempFolder();
        var floatFile = folder.File("edsr-x3.onnx");
        File.Copy(await TestModels.OnnxFile(ModelCatalog.DefaultModel, 3), floatFile);
        var resolver = TestModels.Upscaler.Models;

        var error = await Assert.ThrowsAsync<ModelException>(() => resolver.ResolveAsync(floatFile, 3, precision: Precision.Int8));
        Assert.Equal((ModelProblem.NoInt8Copy, floatFile), (error.Reason, error.Model));
        Assert.Equal(floatFile, (await resolver.ResolveAsync(floatFile, 3, precision: Precision.Auto)).FilePath);

        // A file that merely looks like a copy (same name, no quantizer's marks) is not taken.
        File.Copy(floatFile, Int8Copy.PathFor(floatFile));
        await Assert.ThrowsAsync<ModelException>(() => resolver.ResolveAsync(floatFile, 3, precision: Precision.Int8));
        File.Delete(Int8Copy.PathFor(floatFile));

        File.WriteAllText(Int8Speed.PathFor(Int8Copy.PathFor(floatFile)), "fp32"); // an answer timed on an earlier copy
        var report = Int8Quantizer.Quantize(floatFile, new ModelContract(3, ChannelOrder.Rgb, 1f), Int8Copy.PathFor(floatFile));
        Assert.True(report.Written, string.Join("; ", report.Lines()));
        Assert.False(File.Exists(Int8Speed.PathFor(report.Output)), "a new copy is timed afresh");
        var fp32 = await resolver.ResolveAsync(floatFile, 3, precision: Precision.Fp32);
        var int8 = await resolver.ResolveAsync(floatFile, 3, precision: Precision.Int8);
        Assert.Equal((floatFile, Precision.Fp32), (fp32.FilePath, fp32.Precision));
        Assert.Equal((report.Output, Precision.Int8), (int8.FilePath, int8.Precision));
        Assert.Equal(Precision.Int8, ModelResolver.WithPrecision(fp32, Precision.Auto, new Int8Speed(Vnni: true, Avx2: true)).Precision);
        Assert.Equal(Precision.Fp32, ModelResolver.WithPrecision(fp32, Precision.Auto, new Int8Speed(Vnni: false, Avx2: false)).Precision);
        Assert.Equal(Precision.Int8, (await resolver.ResolveAsync(report.Output, 3, precision: Precision.Fp32)).Precision); // named directly

        // A copy forced past the guard (a benchmark's --max-loss 1000) runs only when int8 is asked for by name.
        var hostile = folder.File("hostile.onnx");
        HostileToInt8Model.Write(hostile);
        var forced = Int8Quantizer.Quantize(hostile, new ModelContract(2), Int8Copy.PathFor(hostile), new QuantizationOptions { MaxLossDb = 1000 });
        Assert.True(forced.Written);
        var hostileFp32 = await resolver.ResolveAsync(hostile, 2);
        Assert.Equal(Precision.Fp32, ModelResolver.WithPrecision(hostileFp32, Precision.Auto, new Int8Speed(Vnni: true, Avx2: true)).Precision);
        Assert.Equal(Precision.Int8, ModelResolver.WithPrecision(hostileFp32, Precision.Int8, new Int8Speed(Vnni: true, Avx2: true)).Precision);
    }

    [Fact]
    public void A_graph_whose_first_convolution_reads_a_mean_shifted_input_is_quantized()
    {
        // EDSR's layout (the recipe's model): a mean shift before the first convolution, scaled residuals, a pixel shuffle.
        using var folder = new TempFolder();
        var file = folder.File("edsr-small.onnx");
        var contract = EdsrModelBuilder.Write(file, new EdsrModelBuilder.Shape(Blocks: 2, Filters: 16, Scale: 3));

        var report = Int8Quantizer.Quantize(file, contract, folder.File("edsr-small.int8.onnx"), new QuantizationOptions { MaxLossDb = 1000 });

        Assert.True(report.Written);
        Assert.Equal(7, report.Accepted!.QuantizedConvolutions);
        Assert.Contains(OnnxModelFile.Read(report.Output).Graph.Node, n => n.OpType == "QuantizeLinear");
    }

    [Fact]
    public void Installing_a_model_again_drops_the_int8_copies_made_from_its_old_weights()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path);
        var modelFolder = store.FolderOf("mine");
        Directory.CreateDirectory(modelFolder);
        HostileToInt8Model.Write(Path.Combine(modelFolder, "x2.onnx"));
        File.WriteAllText(Path.Combine(modelFolder, "x2.int8.onnx"), "stale");
        File.WriteAllText(Int8Speed.PathFor(Path.Combine(modelFolder, "x2.int8.onnx")), "int8"); // and its timing
        store.Register(new ModelManifest { Name = "mine", Kind = ModelKind.Onnx, Files = new() { [2] = "x2.onnx" } });
        Assert.False(File.Exists(Path.Combine(modelFolder, "x2.int8.onnx")));
        Assert.False(File.Exists(Int8Speed.PathFor(Path.Combine(modelFolder, "x2.int8.onnx"))));
    }

    private static async Task<(string FloatFile, QuantizationReport Report)> QuantizeDefaultX3(TempFolder folder)
    {
        // A copy outside the shared store, so the int8 file written beside it never changes what other tests run.
        var floatFile = folder.File("superres-edsr-x3.onnx");
        File.Copy(await TestModels.OnnxFile(ModelCatalog.DefaultModel, 3), floatFile);
        var report = Int8Quantizer.Quantize(floatFile, new ModelContract(3, ChannelOrder.Rgb, 1f), folder.File("int8.onnx"), new QuantizationOptions { MaxLossDb = Guard });
        return (floatFile, report);
    }
}
