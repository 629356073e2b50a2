using SuperRes.Models;
using SuperRes.Tests.Support;

namespace SuperRes.Models.Tools.Tests;

public class ModelWorkshopTests
{
    [Fact]
    public async Task Pull_fetches_from_npm_checks_integrity_and_converts_every_scale()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.Path);
        var steps = new List<ModelInstallProgress>();
        var manifest = await new ModelResolver(store, new ModelWorkshop()).InstallAsync("esrgan-slim", new SyncProgress<ModelInstallProgress>(steps.Add), default);

        Assert.Equal([2, 3, 4, 8], manifest.Files.Keys);
        Assert.All(manifest.Files.Values, f => Assert.True(new FileInfo(Path.Combine(store.FolderOf("esrgan-slim"), f)).Length > 100_000));
        Assert.Equal("@upscalerjs/esrgan-slim@1.0.0", manifest.Source);
        Assert.Contains(steps, s => s.Description.StartsWith("Downloading @upscalerjs/esrgan-slim", StringComparison.Ordinal));
        Assert.Equal(steps[^1].Steps, steps[^1].Step);
        Assert.Equal("esrgan-slim", Assert.Single(store.List()).Name);
        // No download leftovers in the store.
        Assert.Equal([store.FolderOf("esrgan-slim")], Directory.GetDirectories(temp.Path));
    }

    [Fact]
    public void Import_of_a_zoo_file_reads_algorithm_and_scale_from_its_name_and_converts_it_to_onnx()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.Path);
        new ModelImporter(store).Import(TestData.Zoo("FSRCNN-small_x3.pb"));
        var manifest = new ModelImporter(store).Import(TestData.Zoo("FSRCNN-small_x4.pb"));
        Assert.Equal("fsrcnn-small", manifest.Name);
        Assert.Equal(ModelKind.Onnx, manifest.Kind); // the graph's conversion agreed with dnn_superres
        Assert.Equal((ChannelOrder.Bgr, 255f), (manifest.Channels, manifest.Range));
        Assert.Equal("FSRCNN-small_x4.pb", manifest.Source);
        Assert.Equal([3, 4], manifest.Files.Keys);
        Assert.Equal(["x3.onnx", "x4.onnx"], manifest.Files.Values);
    }

    [Fact]
    public async Task Import_of_an_onnx_file_measures_its_scale()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.Path);
        var onnx = await TestModels.OnnxFile("esrgan-slim", 4);
        var copy = temp.File("my-model.onnx");
        File.Copy(onnx, copy);
        var manifest = new ModelImporter(store).Import(copy, name: "mine");
        Assert.Equal([4], manifest.Files.Keys);
        var resolved = await new ModelResolver(store).ResolveAsync("mine", null);
        Assert.Equal(4, resolved.Scale);
    }
}
