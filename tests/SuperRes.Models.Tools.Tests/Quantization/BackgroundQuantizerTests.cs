using SuperRes.Inference;
using SuperRes.Models;
using SuperRes.Models.Quantization;
using SuperRes.Models.Tools.Quantization;
using SuperRes.Tests.Support;

namespace SuperRes.Models.Tools.Tests.Quantization;

public class BackgroundQuantizerTests
{
    [Fact]
    public async Task A_model_written_at_run_time_gets_its_checked_int8_copy_once()
    {
        using var folder = new TempFolder();
        var mix = folder.File("x3.restore-0.5.onnx");
        File.Copy(await TestModels.OnnxFile(ModelCatalog.DefaultModel, 3), mix);

        var work = BackgroundQuantizer.Ensure(mix, new ModelContract(3));
        Assert.NotNull(work);
        Assert.Same(work, BackgroundQuantizer.Ensure(mix, new ModelContract(3))); // asked again while it runs: the same work
        await work;

        Assert.True(Int8Copy.IsInt8(Int8Copy.PathFor(mix)));
        Assert.Null(BackgroundQuantizer.Ensure(mix, new ModelContract(3))); // done: nothing more to do
        var resolved = ModelResolver.WithPrecision(await TestModels.Upscaler.Models.ResolveAsync(mix, 3), Precision.Auto, new Int8Speed(Vnni: true, Avx2: true));
        Assert.Equal((Int8Copy.PathFor(mix), Precision.Int8), (resolved.FilePath, resolved.Precision));
    }
}
